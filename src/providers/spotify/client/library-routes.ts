import type { SpotifyConfig } from "../../../config";
import type { LibraryUriType, ParsedUri } from "./spotify-ids";

/**
 * Where a library item is saved or checked.
 *
 * Since February 2026 saving and following go through `PUT /me/library?uris=…` and
 * checking through `GET /me/library/contains?uris=…` (URIs comma-separated in the query,
 * at most 40 per call). Extended-quota apps keep the per-type endpoints, which we use for
 * them: albums `PUT /me/albums?ids=` (≤ 20), tracks `PUT /me/tracks` with a JSON body
 * `{ "ids": [...] }` (≤ 50), artists `PUT /me/following?type=artist&ids=` (≤ 50), each with a
 * `GET …/contains?ids=` twin.
 * https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide
 * https://developer.spotify.com/documentation/web-api/reference/save-library-items
 */
export interface LibraryRoute {
  /** Save endpoint path. */
  savePath: string;
  /** Contains endpoint path. */
  containsPath: string;
  /** Fixed query params (e.g. `type=artist`). */
  fixedQuery: Record<string, string>;
  /** Query parameter carrying the items. */
  param: "uris" | "ids";
  /**
   * Where the save call carries the items: the query (`param`) or a JSON body `{ ids }`.
   * The `/contains` call always uses the query.
   */
  saveItemsIn: "query" | "body";
  /** Max items per call. */
  max: number;
  /** What the items are: URIs or bare ids. */
  value: (item: ParsedUri) => string;
}

export const LIBRARY_MAX_URIS = 40;

const genericRoute: LibraryRoute = {
  savePath: "/me/library",
  containsPath: "/me/library/contains",
  fixedQuery: {},
  param: "uris",
  saveItemsIn: "query",
  max: LIBRARY_MAX_URIS,
  value: (item) => item.uri,
};

const legacyRoutes: Partial<Record<LibraryUriType, LibraryRoute>> = {
  album: { savePath: "/me/albums", containsPath: "/me/albums/contains", fixedQuery: {}, param: "ids", saveItemsIn: "query", max: 20, value: (i) => i.id },
  // `PUT /me/tracks` documents its ids only in the JSON body (`{ "ids": [...] }`); the
  // `ids` query parameter is marked deprecated there (unlike `/me/albums` and `/me/following`,
  // where `ids` is a required query parameter).
  track: { savePath: "/me/tracks", containsPath: "/me/tracks/contains", fixedQuery: {}, param: "ids", saveItemsIn: "body", max: 50, value: (i) => i.id },
  artist: {
    savePath: "/me/following",
    containsPath: "/me/following/contains",
    fixedQuery: { type: "artist" },
    param: "ids",
    saveItemsIn: "query",
    max: 50,
    value: (i) => i.id,
  },
};

/** The route for one item under this app's quota mode. */
export function libraryRouteFor(config: SpotifyConfig, type: LibraryUriType): LibraryRoute {
  if (config.quotaMode === "extended") return legacyRoutes[type] ?? genericRoute;
  return genericRoute;
}

/** Groups items by route, keeping each item's original index. */
export function groupByRoute(config: SpotifyConfig, items: readonly ParsedUri[]): Map<LibraryRoute, Array<{ item: ParsedUri; index: number }>> {
  const groups = new Map<LibraryRoute, Array<{ item: ParsedUri; index: number }>>();
  items.forEach((item, index) => {
    const route = libraryRouteFor(config, item.type);
    const list = groups.get(route) ?? [];
    list.push({ item, index });
    groups.set(route, list);
  });
  return groups;
}
