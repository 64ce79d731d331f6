/**
 * Validation of ad-click ids before they are stored in a cookie or forwarded (P10).
 *
 * Click ids are opaque tokens. The platforms publish no grammar, so the rule is the
 * characters they are seen to use (URL-safe base64 letters, digits, `-`, `_`, and `.` for
 * Google's braids) and a length bound well above real values:
 * - `gclid`, `gbraid`, `wbraid`: Google Ads (https://support.google.com/google-ads/answer/9744275);
 * - `fbclid`: Meta's ClickID, case sensitive, never altered
 *   (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc);
 * - `rdt_cid`: Reddit's click id (https://business.reddithelp.com/s/article/Conversions-API).
 */
export const CLICK_ID_SOURCES = ["gclid", "gbraid", "wbraid", "fbclid", "rdt_cid"] as const;
export type ClickIdSource = (typeof CLICK_ID_SOURCES)[number];

/** Longest accepted value, characters. */
export const CLICK_ID_MAX_LENGTH: Record<ClickIdSource, number> = { gclid: 256, gbraid: 256, wbraid: 256, fbclid: 512, rdt_cid: 256 };

const CHARSET: Record<ClickIdSource, RegExp> = {
  gclid: /^[A-Za-z0-9_-]+$/,
  gbraid: /^[A-Za-z0-9_.-]+$/,
  wbraid: /^[A-Za-z0-9_.-]+$/,
  fbclid: /^[A-Za-z0-9_-]+$/,
  rdt_cid: /^[A-Za-z0-9_.-]+$/,
};

/** Why a value was refused: `empty`, `length` (over the bound) or `charset`. */
export type ClickIdRejection = "empty" | "length" | "charset";

/** `{ ok: true, value }` (unchanged: click ids are case sensitive) or `{ ok: false, reason }`. Pure. */
export function validateClickId(source: ClickIdSource, raw: string): { ok: true; value: string } | { ok: false; reason: ClickIdRejection } {
  if (raw.length === 0) return { ok: false, reason: "empty" };
  if (raw.length > CLICK_ID_MAX_LENGTH[source]) return { ok: false, reason: "length" };
  if (!CHARSET[source].test(raw)) return { ok: false, reason: "charset" };
  return { ok: true, value: raw };
}

/** `_fbc`: `fb.<subdomainIndex 0–2>.<creation time, Unix ms, 13 digits>.<fbclid>`. */
export const FBC_PATTERN = /^fb\.[0-2]\.\d{13}\.[A-Za-z0-9_-]{1,512}$/;
/** `_fbp`: `fb.<subdomainIndex 0–2>.<creation time, Unix ms>.<random number>`. */
export const FBP_PATTERN = /^fb\.[0-2]\.\d{13}\.\d{5,20}$/;
