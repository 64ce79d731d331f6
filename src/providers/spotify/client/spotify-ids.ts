import { ProviderError } from "../../../lib/provider-error";

/**
 * Spotify ids and URIs (https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids):
 * an id is 22 base62 characters; a URI is `spotify:<type>:<id>`.
 * Validation happens before any call so a bad id never costs a request.
 */

const ID_PATTERN = /^[0-9A-Za-z]{22}$/;

/** URI types `PUT /me/library` accepts that Backbeat uses. */
export const LIBRARY_URI_TYPES = ["track", "album", "artist", "playlist", "episode", "show", "audiobook"] as const;
export type LibraryUriType = (typeof LIBRARY_URI_TYPES)[number];

export interface ParsedUri {
  uri: string;
  type: LibraryUriType;
  id: string;
}

export function badRequest(message: string): ProviderError {
  return new ProviderError({ provider: "spotify", kind: "bad_request", message });
}

/** @throws ProviderError `bad_request` unless `id` is a 22-character base62 Spotify id. */
export function assertSpotifyId(id: string, what: string): string {
  if (!ID_PATTERN.test(id)) throw badRequest(`${what} id must be 22 base62 characters`);
  return id;
}

/** @throws ProviderError `bad_request` unless `market` is an ISO 3166-1 alpha-2 code. */
export function assertMarket(market: string | undefined): string | undefined {
  if (market === undefined) return undefined;
  if (!/^[A-Z]{2}$/.test(market)) throw badRequest("market must be an ISO 3166-1 alpha-2 code");
  return market;
}

/** @throws ProviderError `bad_request` for anything but `spotify:<library type>:<id>`. */
export function parseSpotifyUri(uri: string): ParsedUri {
  const match = /^spotify:([a-z]+):([0-9A-Za-z]{22})$/.exec(uri);
  const type = match?.[1];
  const id = match?.[2];
  if (!type || !id || !(LIBRARY_URI_TYPES as readonly string[]).includes(type)) {
    throw badRequest(`not a Spotify ${LIBRARY_URI_TYPES.join("/")} URI: ${uri.slice(0, 60)}`);
  }
  return { uri, type: type as LibraryUriType, id };
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
