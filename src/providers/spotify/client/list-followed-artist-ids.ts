import type { ApiCaller } from "./context";
import { followedArtistsSchema } from "./schemas";
import { assertSpotifyId, badRequest } from "./spotify-ids";

/**
 * One page of followed artists: `GET /me/following?type=artist&limit&after` (cursor paging;
 * `after` is the last artist id of the previous page). `nextAfter` is `null` on the last page.
 * Needs `user-follow-read`.
 * https://developer.spotify.com/documentation/web-api/reference/get-followed
 */
export async function listFollowedArtistIds(call: ApiCaller, input: { after?: string; limit?: number }): Promise<{ ids: string[]; nextAfter: string | null }> {
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw badRequest("limit must be an integer in 1..50");
  if (input.after !== undefined) assertSpotifyId(input.after, "after artist");
  const res = await call({
    method: "GET",
    path: "/me/following",
    query: { type: "artist", limit, after: input.after },
    schema: followedArtistsSchema,
  });
  const ids = res.artists.items.map((a) => a.id);
  const nextAfter = res.artists.next ? (res.artists.cursors?.after ?? ids.at(-1) ?? null) : null;
  return { ids, nextAfter };
}
