import type { SpotifyConfig } from "../../../config";
import { ProviderError } from "../../../lib/provider-error";
import type { ApiCaller } from "./context";
import { groupByRoute } from "./library-routes";
import { containsSchema } from "./schemas";
import { chunk, parseSpotifyUri } from "./spotify-ids";

/**
 * Whether each URI is in the fan's library (or followed, for artists), in the order given.
 * `GET /me/library/contains?uris=` in chunks of ≤ 40; legacy `…/contains` endpoints in
 * extended quota mode. Needs `user-library-read` (+ `user-follow-read` for artists).
 * https://developer.spotify.com/documentation/web-api/reference/check-library-contains
 * @throws ProviderError `bad_request`, `invalid_response` (answer length ≠ asked), …
 */
export async function checkLibrary(call: ApiCaller, config: SpotifyConfig, uris: readonly string[]): Promise<boolean[]> {
  const items = uris.map(parseSpotifyUri);
  const result: boolean[] = new Array<boolean>(items.length).fill(false);
  for (const [route, entries] of groupByRoute(config, items)) {
    for (const part of chunk(entries, route.max)) {
      const answer = await call({
        method: "GET",
        path: route.containsPath,
        query: { ...route.fixedQuery, [route.param]: part.map((e) => route.value(e.item)).join(",") },
        schema: containsSchema,
      });
      if (answer.length !== part.length) {
        throw new ProviderError({ provider: "spotify", kind: "invalid_response", message: `GET ${route.containsPath}: ${answer.length} answers for ${part.length} items` });
      }
      part.forEach((e, i) => {
        result[e.index] = answer[i] === true;
      });
    }
  }
  return result;
}
