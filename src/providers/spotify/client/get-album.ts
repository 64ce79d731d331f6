import type { CatalogAlbum } from "../port";
import type { ApiCaller } from "./context";
import { albumSchema, albumTracksPageSchema, trackSchema } from "./schemas";
import { assertMarket, assertSpotifyId } from "./spotify-ids";
import { MAX_PAGES, toApiPath } from "./to-api-path";

/**
 * `GET /albums/{id}[?market]`, then the album's `tracks.next` pages until all track ids are
 * collected, then — only when the simplified tracks carry no ISRC, which is Spotify's
 * normal case — one `GET /tracks/{firstTrackId}` for `firstTrackIsrc`.
 * Calls: 1 + ⌈(tracks − 50) / 50⌉ + (0 or 1).
 * https://developer.spotify.com/documentation/web-api/reference/get-an-album
 * https://developer.spotify.com/documentation/web-api/reference/get-an-albums-tracks
 * @throws ProviderError `bad_request`, `not_found`, `rate_limited`, `unavailable`, `invalid_response`.
 */
export async function getAlbum(call: ApiCaller, apiUrl: string, id: string, market?: string): Promise<CatalogAlbum> {
  assertSpotifyId(id, "album");
  const m = assertMarket(market);
  const album = await call({ method: "GET", path: `/albums/${id}`, query: { market: m }, schema: albumSchema });

  const tracks = [...album.tracks.items];
  let next = album.tracks.next ?? null;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const { path, query } = toApiPath(next, apiUrl);
    const res = await call({ method: "GET", path, query, schema: albumTracksPageSchema });
    tracks.push(...res.items);
    next = res.next ?? null;
  }

  const first = tracks[0];
  let firstTrackIsrc = first?.external_ids?.isrc ?? null;
  if (first && firstTrackIsrc === null) {
    const t = await call({ method: "GET", path: `/tracks/${first.id}`, query: { market: m }, schema: trackSchema });
    firstTrackIsrc = t.external_ids?.isrc ?? null;
  }

  const trackArtists = new Map<string, { id: string; name: string }>();
  for (const a of tracks.flatMap((t) => t.artists ?? [])) if (!trackArtists.has(a.id)) trackArtists.set(a.id, { id: a.id, name: a.name });

  return {
    id: album.id,
    name: album.name,
    albumType: album.album_type,
    releaseDate: album.release_date,
    releaseDatePrecision: album.release_date_precision,
    artists: album.artists.map((a) => ({ id: a.id, name: a.name })),
    images: album.images.map((i) => ({ url: i.url, width: i.width ?? null, height: i.height ?? null })),
    upc: album.external_ids?.upc ?? null,
    label: album.label ?? null,
    totalTracks: album.total_tracks,
    trackIds: tracks.map((t) => t.id),
    firstTrackIsrc,
    trackArtists: [...trackArtists.values()],
  };
}
