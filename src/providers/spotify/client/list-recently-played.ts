import type { PlayHistoryItem } from "../port";
import type { ApiCaller } from "./context";
import { recentlyPlayedSchema } from "./schemas";
import { badRequest } from "./spotify-ids";

/** Spotify keeps only the last 50 plays; 50 is also the page maximum. */
export const RECENTLY_PLAYED_MAX = 50;

/**
 * `GET /me/player/recently-played?limit&after` — plays after `afterMs` (Unix ms).
 * `played_at` is when the play ended. Local files (and anything without a Spotify id) give
 * `trackId: null`; a relinked track gives the served id in `trackId` and the id that was
 * asked for in `linkedFromId`. `nextAfterMs` is Spotify's `cursors.after` (the newest play in the page),
 * else the newest `playedAt` seen, else `null` when there was nothing new.
 * Needs `user-read-recently-played`.
 * https://developer.spotify.com/documentation/web-api/reference/get-recently-played
 * @throws ProviderError `bad_request` (afterMs/limit), …
 */
export async function listRecentlyPlayed(
  call: ApiCaller,
  input: { afterMs?: number; limit?: number },
): Promise<{ items: PlayHistoryItem[]; nextAfterMs: number | null }> {
  const limit = input.limit ?? RECENTLY_PLAYED_MAX;
  if (!Number.isInteger(limit) || limit < 1 || limit > RECENTLY_PLAYED_MAX) throw badRequest("limit must be an integer in 1..50");
  if (input.afterMs !== undefined && (!Number.isInteger(input.afterMs) || input.afterMs < 0)) throw badRequest("afterMs must be a non-negative integer (Unix ms)");
  const res = await call({
    method: "GET",
    path: "/me/player/recently-played",
    query: { limit, after: input.afterMs },
    schema: recentlyPlayedSchema,
  });
  const items: PlayHistoryItem[] = res.items.map((it) => {
    const isLocal = it.track?.is_local ?? false;
    return {
      trackId: isLocal ? null : (it.track?.id ?? null),
      linkedFromId: isLocal ? null : (it.track?.linked_from?.id ?? null),
      playedAt: new Date(it.played_at),
      contextUri: it.context?.uri ?? null,
      isLocal,
    };
  });
  const cursor = res.cursors?.after;
  const fromCursor = cursor !== undefined && cursor !== null && /^\d+$/.test(cursor) ? Number(cursor) : null;
  const newest = items.length > 0 ? Math.max(...items.map((i) => i.playedAt.getTime())) : null;
  return { items, nextAfterMs: fromCursor ?? newest };
}
