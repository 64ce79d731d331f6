/**
 * Landing-path context (P08) read from a landing request: what brought the fan here.
 */
import type { LandingContext } from "../../db/schema/attribution";
import { classifyDevice } from "./classify-device";
import { detectInAppBrowser } from "./detect-in-app-browser";
import { cleanText } from "./sanitize";

export interface ReadLandingContextInput {
  url: URL;
  headers: Headers;
  /**
   * Name of the CDN / proxy header carrying the visitor's country (e.g. `cf-ipcountry`,
   * `cloudfront-viewer-country`, `x-vercel-ip-country`). Unset: country is null.
   */
  countryHeader?: string;
}

/** Ad-click id parameters whose presence (never value) is recorded. */
export const CLICK_ID_PARAMS = ["gclid", "gbraid", "wbraid", "fbclid", "rdt_cid", "ttclid", "msclkid"] as const;

const UTM_KEYS = ["source", "medium", "campaign", "term", "content"] as const;

/** Maximum length (code points) of each UTM value. */
export const UTM_MAX = 200;
/** Maximum length of the stored path. */
export const PATH_MAX = 512;
/** A DNS name is at most 253 characters. */
const HOST_MAX = 253;

/**
 * Codes CDNs use for "not a country": `XX` unknown (Cloudflare), `T1` Tor (Cloudflare),
 * `ZZ` unknown, `EU` / `AP` / `A1` / `A2` / `O1` (legacy GeoIP pseudo-countries).
 */
const NOT_A_COUNTRY = new Set(["XX", "T1", "ZZ", "EU", "AP", "A1", "A2", "O1"]);

// language[-script][-region][-variant…], e.g. `en`, `en-GB`, `zh-Hant-TW`, `es-419`.
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-[a-z\d]{5,8})*$/i;

function readCountry(headers: Headers, headerName: string | undefined): string | null {
  if (!headerName) return null;
  const raw = headers.get(headerName);
  if (!raw) return null;
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || NOT_A_COUNTRY.has(code)) return null;
  return code;
}

/**
 * Host of the `Referer` header, lower-case, without port, path or query. `http(s)` and
 * Android app referrers (`android-app://com.instagram.android/` → `com.instagram.android`)
 * are kept; anything else is null.
 */
function readReferrerHost(headers: Headers): string | null {
  const referer = headers.get("referer");
  if (!referer || referer.length > 4096) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:" && url.protocol !== "android-app:") return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host === "" || host.length > HOST_MAX || !/^[a-z0-9.\-_:[\]]+$/.test(host)) return null;
  return host;
}

/** First tag of `Accept-Language`, validated and case-normalized (`en-gb` → `en-GB`), or null. */
function readLocale(headers: Headers): string | null {
  const header = headers.get("accept-language");
  if (!header) return null;
  const first = header.slice(0, 256).split(",", 1)[0]?.split(";", 1)[0]?.trim() ?? "";
  if (first.length > 35 || !LANGUAGE_TAG.test(first)) return null;
  return first
    .split("-")
    .map((part, i) => {
      if (i === 0) return part.toLowerCase();
      if (part.length === 4 && /^[a-z]+$/i.test(part)) return part[0]!.toUpperCase() + part.slice(1).toLowerCase();
      if (part.length === 2) return part.toUpperCase();
      return part.toLowerCase();
    })
    .join("-");
}

/**
 * Reads the landing context of a request.
 *
 * - `path`: `url.pathname`, control characters dropped, ≤ 512 characters.
 * - `utm`: `utm_source|medium|campaign|term|content` (first occurrence), control characters
 *   dropped, trimmed, ≤ 200 code points; empty values are omitted.
 * - `referrerHost`: host of `Referer` only.
 * - `clickIds`: names of the click-id parameters present with a non-empty value, in
 *   `CLICK_ID_PARAMS` order. Values are never read into the context.
 * - `country`: from `countryHeader`, a 2-letter ISO code upper-cased; pseudo-codes → null.
 * - `deviceClass`, `inAppBrowser`: from `User-Agent`.
 * - `locale`: first `Accept-Language` tag, validated.
 *
 * Pure: no clock, no I/O, never throws for any request.
 */
export function readLandingContext(input: ReadLandingContextInput): LandingContext {
  const { url, headers } = input;
  const params = url.searchParams;

  const utm: LandingContext["utm"] = {};
  for (const key of UTM_KEYS) {
    const value = cleanText(params.get(`utm_${key}`), UTM_MAX);
    if (value !== null) utm[key] = value;
  }

  const clickIds: string[] = [];
  for (const name of CLICK_ID_PARAMS) {
    const value = params.get(name);
    if (value !== null && value.trim() !== "") clickIds.push(name);
  }

  const userAgent = headers.get("user-agent");
  return {
    path: cleanText(url.pathname, PATH_MAX) ?? "/",
    utm,
    referrerHost: readReferrerHost(headers),
    clickIds,
    country: readCountry(headers, input.countryHeader),
    deviceClass: classifyDevice(userAgent, headers.get("sec-ch-ua-mobile")),
    inAppBrowser: detectInAppBrowser(userAgent),
    locale: readLocale(headers),
  };
}
