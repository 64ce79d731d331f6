import { ProviderError } from "../../../lib/provider-error";

/**
 * Turns a paging `next` URL (absolute, e.g. `https://api.spotify.com/v1/albums/x/tracks?offset=50`)
 * into a path + query below `apiUrl`, so the request goes to our configured base (the
 * emulator or api.spotify.com) and never to a host named in a response body.
 * @throws ProviderError `invalid_response` when `next` is not below the API base path.
 */
export function toApiPath(next: string, apiUrl: string): { path: string; query: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(next, apiUrl);
  } catch {
    throw new ProviderError({ provider: "spotify", kind: "invalid_response", message: "paging: next is not a URL" });
  }
  const basePath = new URL(apiUrl).pathname.replace(/\/+$/, "");
  if (!url.pathname.startsWith(`${basePath}/`)) {
    throw new ProviderError({ provider: "spotify", kind: "invalid_response", message: "paging: next is outside the API base" });
  }
  return { path: url.pathname.slice(basePath.length), query: Object.fromEntries(url.searchParams) };
}

/** Upper bound on pages followed for one listing, against a `next` loop. */
export const MAX_PAGES = 200;
