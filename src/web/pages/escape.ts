/**
 * Escaping helpers for the server-rendered public pages.
 *
 * Pages are built by plain string concatenation (no virtual DOM, no promises): it is the
 * cheapest way to produce a few kilobytes of HTML on a path served thousands of times per
 * second. Every interpolated value therefore goes through one of these helpers:
 *
 * - `escapeHtml` for text and attribute values (always double-quoted attributes);
 * - `safeHttpUrl` for any URL taken from data (artwork, Spotify links): only `http:` and
 *   `https:` survive, everything else (`javascript:`, `data:`, relative tricks) is dropped;
 * - `jsonLdScript` for JSON-LD, which must not be able to close its `<script>` element.
 */
import { escapeToBuffer } from "hono/utils/html";

/** Escapes `& < > " '` for use in HTML text or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(value, buffer);
  return buffer[0];
}

/**
 * Returns the normalized absolute URL when `value` is an absolute `http:` / `https:` URL
 * without credentials, otherwise `null`. The result is NOT escaped: pass it through
 * `escapeHtml` before putting it in an attribute.
 */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value || value.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  if (parsed.username || parsed.password) return null;
  return parsed.href;
}

/** Origin of the public URL without trailing slash (`https://go.example.com`). */
export function baseUrl(publicUrl: string): string {
  return publicUrl.endsWith("/") ? publicUrl.replace(/\/+$/, "") : publicUrl;
}

/** Path segment for a slug: percent-encoded so it can never add `/`, `?` or `#`. */
export function pathSegment(slug: string): string {
  return encodeURIComponent(slug);
}

const JSON_LD_UNSAFE = /[<>&\u2028\u2029]/g;
const JSON_LD_REPLACEMENTS: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Serializes `data` as a JSON-LD `<script>` element. `<`, `>` and `&` are written as JSON
 * unicode escapes, so the text can contain neither `</script` nor `<!--`, and it still
 * parses to the same value.
 */
export function jsonLdScript(data: unknown): string {
  const json = JSON.stringify(data).replace(JSON_LD_UNSAFE, (c) => JSON_LD_REPLACEMENTS[c] ?? c);
  return `<script type="application/ld+json">${json}</script>`;
}

/** Truncates to at most `max` code points, adding `…` when cut. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const points = Array.from(value);
  if (points.length <= max) return value;
  return `${points.slice(0, max - 1).join("").trimEnd()}…`;
}
