import { randomInt } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ALL_CLICK_ID_COOKIE_NAMES, CLICK_ID_COOKIES, FBP_COOKIE, type ClickIdCookie } from "./click-id-cookies";
import type { ClickIdRejectionCounter } from "./create-click-id-rejection-counter";
import { readClickIds, type ClickIds } from "./read-click-ids";
import { CLICK_ID_SOURCES, FBC_PATTERN, FBP_PATTERN, validateClickId } from "./validate-click-id";

export interface WriteClickIdCookiesInput {
  /** Where the click ids come from: the landing URL's query, or the consent form's fields. */
  params: URLSearchParams;
  now: Date;
  /** Secure attribute (public URL is https). */
  secure: boolean;
  /** Also make sure a `_fbp` exists (the page loads a Meta pixel). A `fbclid` always does. */
  ensureFbp: boolean;
  rejections: ClickIdRejectionCounter;
}

function write(c: Context, cookie: ClickIdCookie, value: string, secure: boolean): void {
  setCookie(c, cookie.name, value, { path: "/", sameSite: "Lax", secure, httpOnly: cookie.httpOnly, maxAge: cookie.maxAgeS });
}

/**
 * Stores the click ids of a request in first-party cookies (P10). Call only when ad
 * consent holds (`readConsentState(...).adsAllowed`).
 *
 * - `gclid` / `gbraid` / `wbraid` / `rdt_cid` → `_gclid` / `_gbraid` / `_wbraid` / `_rdt_cid`, the value as is;
 * - `fbclid` → `_fbc` = `fb.1.<Unix ms>.<fbclid>` (subdomain index 1: the cookie is set for
 *   the exact host, https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc);
 *   a new fbclid replaces an older `_fbc`, the same one keeps its first creation time;
 * - `_fbp` = `fb.1.<Unix ms>.<random 10 digits>` when a Meta click or pixel needs one and none is valid.
 * Invalid values are dropped and counted (`rejections`), never stored; the first occurrence
 * of each parameter is used.
 * @returns every valid click id this request now holds (new values over cookie values), or null.
 */
export function writeClickIdCookies(c: Context, input: WriteClickIdCookiesInput): ClickIds | null {
  const { params, secure } = input;
  const cookies: Record<string, string | undefined> = { ...getCookie(c) };
  let hasFbclid = false;
  for (const source of CLICK_ID_SOURCES) {
    const raw = params.get(source);
    if (raw === null) continue;
    const checked = validateClickId(source, raw);
    if (!checked.ok) {
      input.rejections.add(source, checked.reason);
      continue;
    }
    const cookie = CLICK_ID_COOKIES[source];
    if (source === "fbclid") {
      hasFbclid = true;
      const existing = cookies[cookie.name];
      if (existing && FBC_PATTERN.test(existing) && existing.slice(existing.indexOf(".", 5) + 1) === checked.value) continue;
      const fbc = `fb.1.${input.now.getTime()}.${checked.value}`;
      write(c, cookie, fbc, secure);
      cookies[cookie.name] = fbc;
    } else {
      write(c, cookie, checked.value, secure);
      cookies[cookie.name] = checked.value;
    }
  }
  if ((hasFbclid || input.ensureFbp) && !(cookies[FBP_COOKIE.name] && FBP_PATTERN.test(cookies[FBP_COOKIE.name]!))) {
    const fbp = `fb.1.${input.now.getTime()}.${randomInt(1_000_000_000, 2_147_483_647)}`;
    write(c, FBP_COOKIE, fbp, secure);
    cookies[FBP_COOKIE.name] = fbp;
  }
  return readClickIds(cookies);
}

/**
 * Clears the click-id cookies (Max-Age=0) after a decline or withdrawal. `all`: every
 * name, whether or not the request sent it (the consent form); otherwise only the ones
 * the request carried (landing pages, so a bare page view sets nothing).
 */
export function clearClickIdCookies(c: Context, input: { secure: boolean; all: boolean }): void {
  const present = getCookie(c);
  for (const name of ALL_CLICK_ID_COOKIE_NAMES) {
    if (input.all || present[name] !== undefined) deleteCookie(c, name, { path: "/", secure: input.secure });
  }
}
