import type { SpotifyConfig } from "../../../config";
import type { CatalogAlbum } from "../port";
import type { ApiCaller } from "./context";
import { artistAlbumsPageSchema } from "./schemas";
import { assertSpotifyId } from "./spotify-ids";
import { MAX_PAGES, toApiPath } from "./to-api-path";

export type ArtistRelease = Pick<CatalogAlbum, "id" | "name" | "albumType" | "releaseDate">;

/**
 * All of an artist's albums and singles: `GET /artists/{id}/albums?include_groups=album,single`
 * then `next` pages. Extended-quota apps ask for 50 per page (documented maximum);
 * development-mode apps leave `limit` to Spotify's default, since the 2026 dev-mode
 * changes lowered several page limits and a too-large `limit` is a 400.
 * https://developer.spotify.com/documentation/web-api/reference/get-an-artists-albums
 * @throws ProviderError `bad_request`, `not_found`, `rate_limited`, `unavailable`.
 */
export async function listArtistReleases(call: ApiCaller, config: SpotifyConfig, id: string): Promise<ArtistRelease[]> {
  assertSpotifyId(id, "artist");
  const out: ArtistRelease[] = [];
  let path = `/artists/${id}/albums`;
  let query: Record<string, string | number | undefined> = {
    include_groups: "album,single",
    limit: config.quotaMode === "extended" ? 50 : undefined,
  };
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await call({ method: "GET", path, query, schema: artistAlbumsPageSchema });
    for (const a of res.items) out.push({ id: a.id, name: a.name, albumType: a.album_type, releaseDate: a.release_date });
    if (!res.next) break;
    ({ path, query } = toApiPath(res.next, config.apiUrl));
  }
  return out;
}
