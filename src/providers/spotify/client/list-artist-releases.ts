import type { SpotifyConfig } from "../../../config";
import type { CatalogAlbum } from "../port";
import type { ApiCaller } from "./context";
import { artistAlbumsPageSchema } from "./schemas";
import { assertSpotifyId } from "./spotify-ids";
import { MAX_PAGES, toApiPath } from "./to-api-path";

export type ArtistRelease = Pick<CatalogAlbum, "id" | "name" | "albumType" | "releaseDate">;

/**
 * Page size for `GET /artists/{id}/albums`. The reference (and Spotify's OpenAPI file since
 * the 2026 changes) documents default 5 / maximum 10 for this endpoint, and development-mode
 * apps get a 400 above 10; extended-quota apps accept more, but 10 is valid in both modes.
 */
export const ARTIST_RELEASES_PAGE_LIMIT = 10;

/**
 * All of an artist's albums and singles:
 * `GET /artists/{id}/albums?include_groups=album,single&limit=10`, then the `next` pages.
 * https://developer.spotify.com/documentation/web-api/reference/get-an-artists-albums
 * @throws ProviderError `bad_request`, `not_found`, `rate_limited`, `unavailable`.
 */
export async function listArtistReleases(call: ApiCaller, config: SpotifyConfig, id: string): Promise<ArtistRelease[]> {
  assertSpotifyId(id, "artist");
  const out: ArtistRelease[] = [];
  let path = `/artists/${id}/albums`;
  let query: Record<string, string | number | undefined> = { include_groups: "album,single", limit: ARTIST_RELEASES_PAGE_LIMIT };
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await call({ method: "GET", path, query, schema: artistAlbumsPageSchema });
    for (const a of res.items) out.push({ id: a.id, name: a.name, albumType: a.album_type, releaseDate: a.release_date });
    if (!res.next) break;
    ({ path, query } = toApiPath(res.next, config.apiUrl));
  }
  return out;
}
