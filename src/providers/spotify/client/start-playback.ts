import type { ApiCaller } from "./context";
import { ignoredBodySchema } from "./schemas";
import { badRequest, parseSpotifyUri } from "./spotify-ids";

/** Playback calls are best effort and interactive: fail fast rather than hold the fan. */
export const PLAYBACK_TIMEOUT_MS = 4_000;

/**
 * `PUT /me/player/play[?device_id=]` with `{ context_uri }` (album/artist/playlist) or
 * `{ uris }` (tracks). Best effort for callers: needs Premium and an active device.
 * Needs `user-modify-playback-state`.
 * https://developer.spotify.com/documentation/web-api/reference/start-a-users-playback
 * @throws ProviderError `no_active_device` (404 NO_ACTIVE_DEVICE), `premium_required`
 *   (403 PREMIUM_REQUIRED), `bad_request` (both or invalid URIs), …
 */
export async function startPlayback(call: ApiCaller, input: { contextUri?: string; uris?: string[]; deviceId?: string }): Promise<void> {
  if (input.contextUri !== undefined && input.uris !== undefined) throw badRequest("give contextUri or uris, not both");
  let body: { context_uri: string } | { uris: string[] } | undefined;
  if (input.contextUri !== undefined) {
    const parsed = parseSpotifyUri(input.contextUri);
    if (parsed.type === "track" || parsed.type === "episode") throw badRequest("contextUri must be an album, artist, playlist or show");
    body = { context_uri: parsed.uri };
  } else if (input.uris !== undefined) {
    for (const uri of input.uris) {
      const parsed = parseSpotifyUri(uri);
      if (parsed.type !== "track" && parsed.type !== "episode") throw badRequest("uris must be track or episode URIs");
    }
    body = { uris: input.uris };
  }
  // Device ids are opaque hex strings, not base62 ids; only reject obvious junk.
  if (input.deviceId !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(input.deviceId)) throw badRequest("deviceId is malformed");
  await call({
    method: "PUT",
    path: "/me/player/play",
    // Best effort while the fan waits on the result page: one short try, no retries.
    idempotent: false,
    timeoutMs: PLAYBACK_TIMEOUT_MS,
    query: { device_id: input.deviceId },
    ...(body === undefined ? {} : { json: body }),
    schema: ignoredBodySchema,
  });
}

