/**
 * Spotify's redirect URI rules (developer.spotify.com/documentation/web-api/concepts/redirect_uri,
 * enforced since April 2025): https, or http only for the loopback IP literals `127.0.0.1`
 * and `[::1]`; `localhost` is never allowed. A registered loopback URI without a port
 * matches any port; everything else must match exactly.
 *
 * Returns null when `uri` is acceptable, else the message Spotify's error page shows.
 */
export function checkRedirectUri(uri: string, registered: readonly string[]): string | null {
  if (!isAllowedRedirectUri(uri)) return "INVALID_CLIENT: Insecure redirect URI";
  const ok = registered.filter(isAllowedRedirectUri).some((r) => r === uri || loopbackPortlessMatch(r, uri));
  return ok ? null : "INVALID_CLIENT: Invalid redirect URI";
}

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

const LOOPBACK = new Set(["127.0.0.1", "[::1]"]);

function isAllowedRedirectUri(uri: string): boolean {
  const url = parse(uri);
  if (!url || url.hash) return false;
  if (url.hostname === "localhost" || url.hostname.endsWith(".localhost")) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

function loopbackPortlessMatch(registered: string, uri: string): boolean {
  const r = parse(registered);
  const u = parse(uri);
  if (!r || !u || r.protocol !== "http:" || !LOOPBACK.has(r.hostname) || r.port !== "") return false;
  return r.hostname === u.hostname && r.pathname === u.pathname && r.search === u.search;
}
