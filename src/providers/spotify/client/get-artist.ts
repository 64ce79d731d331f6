import type { CatalogArtist } from "../port";
import type { ApiCaller } from "./context";
import { artistSchema } from "./schemas";
import { assertSpotifyId } from "./spotify-ids";

/**
 * `GET /artists/{id}` with the app token. `genres` may be missing for development-mode apps
 * (February 2026 changes): then `[]`.
 * https://developer.spotify.com/documentation/web-api/reference/get-an-artist
 * @throws ProviderError `bad_request`, `not_found`, `rate_limited`, `unavailable`.
 */
export async function getArtist(call: ApiCaller, id: string): Promise<CatalogArtist> {
  assertSpotifyId(id, "artist");
  const a = await call({ method: "GET", path: `/artists/${id}`, schema: artistSchema });
  return {
    id: a.id,
    name: a.name,
    genres: a.genres,
    images: a.images.map((i) => ({ url: i.url, width: i.width ?? null, height: i.height ?? null })),
  };
}
