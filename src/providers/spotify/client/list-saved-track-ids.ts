import type { ApiCaller } from "./context";
import { savedTracksSchema } from "./schemas";
import { badRequest } from "./spotify-ids";

/**
 * One page of the fan's saved tracks: `GET /me/tracks?limit&offset` (limit 1..50, default 50).
 * Items without a Spotify id (local files) are skipped. Needs `user-library-read`.
 * https://developer.spotify.com/documentation/web-api/reference/get-users-saved-tracks
 */
export async function listSavedTrackIds(call: ApiCaller, input: { limit?: number; offset?: number }): Promise<{ ids: string[]; total: number }> {
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw badRequest("limit must be an integer in 1..50");
  if (!Number.isInteger(offset) || offset < 0) throw badRequest("offset must be a non-negative integer");
  const res = await call({ method: "GET", path: "/me/tracks", query: { limit, offset }, schema: savedTracksSchema });
  const ids = res.items.flatMap((it) => (it.track?.id ? [it.track.id] : []));
  return { ids, total: res.total };
}
