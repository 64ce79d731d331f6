import type { CatalogTrack } from "../port";
import type { ApiCaller } from "./context";
import { trackSchema } from "./schemas";
import { assertMarket, assertSpotifyId } from "./spotify-ids";

/**
 * `GET /tracks/{id}[?market]` with the app token. With a market, Spotify may relink to a
 * playable copy: `id` is then the copy and `linkedFromId` the id asked for.
 * https://developer.spotify.com/documentation/web-api/reference/get-track
 * https://developer.spotify.com/documentation/web-api/concepts/track-relinking
 * @throws ProviderError `bad_request` (id/market), `not_found`, `rate_limited`, `unavailable`.
 */
export async function getTrack(call: ApiCaller, id: string, market?: string): Promise<CatalogTrack> {
  assertSpotifyId(id, "track");
  const m = assertMarket(market);
  const t = await call({ method: "GET", path: `/tracks/${id}`, query: { market: m }, schema: trackSchema });
  return {
    id: t.id,
    name: t.name,
    albumId: t.album.id,
    artists: t.artists.map((a) => ({ id: a.id, name: a.name })),
    isrc: t.external_ids?.isrc ?? null,
    durationMs: t.duration_ms,
    linkedFromId: t.linked_from?.id ?? null,
  };
}
