import type { SpotifyConfig } from "../../../config";
import type { ApiCaller } from "./context";
import { groupByRoute } from "./library-routes";
import { ignoredBodySchema } from "./schemas";
import { chunk, parseSpotifyUri } from "./spotify-ids";

/**
 * Saves tracks/albums and follows artists by URI, chunked per endpoint limit (≤ 40 URIs per
 * `PUT /me/library`; legacy per-type endpoints in extended quota mode, see library-routes.ts).
 * Duplicates are sent once. Saving is idempotent on Spotify's side, so PUTs are retried.
 * Needs `user-library-modify` (+ `user-follow-modify` for artists).
 * @throws ProviderError `bad_request` (a URI is not a library URI; nothing is sent),
 *   `insufficient_scope`, `unregistered_user`, `rate_limited`, `unavailable`, …
 */
export async function saveToLibrary(call: ApiCaller, config: SpotifyConfig, uris: readonly string[]): Promise<void> {
  const items = [...new Set(uris)].map(parseSpotifyUri);
  for (const [route, entries] of groupByRoute(config, items)) {
    for (const part of chunk(entries, route.max)) {
      const values = part.map((e) => route.value(e.item));
      await call({
        method: "PUT",
        path: route.savePath,
        ...(route.saveItemsIn === "body"
          ? { query: route.fixedQuery, json: { ids: values } }
          : { query: { ...route.fixedQuery, [route.param]: values.join(",") } }),
        schema: ignoredBodySchema,
      });
    }
  }
}
