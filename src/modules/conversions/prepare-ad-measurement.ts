import type { PixelIds } from "../../db/schema/play";
import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import type { ConsentConfig } from "../../config";
import { buildPlayCsp } from "./build-play-csp";
import type { ClickIdRejectionCounter } from "./create-click-id-rejection-counter";
import { pixelsInUse, type PixelIdsInUse } from "./pixel-vendors";
import type { ClickIds } from "./read-click-ids";
import { readConsentState, type ConsentState } from "./read-consent-state";
import { clearClickIdCookies, writeClickIdCookies } from "./write-click-id-cookies";

export interface AdMeasurement {
  consent: ConsentState;
  /** Click ids to put on this request's events (`detail.clickIds`); null without consent or ids. */
  clickIds: ClickIds | null;
  /** Pixels to load on this page; null without consent or configured pixels. */
  pixels: PixelIdsInUse | null;
  /** CSP nonce for the pixel scripts (with `pixels`). */
  nonce: string | null;
}

/**
 * What a Play request (landing, hub, `/go`, Save) may do for ad measurement, and its side
 * effects on the response (P10):
 * - consent holds → the URL's click ids go to their cookies (`writeClickIdCookies`; a Meta
 *   pixel also gets a `_fbp`) and are returned for the request's events; the link's pixels
 *   are returned with a fresh nonce;
 * - the fan declined or withdrew → click-id cookies the browser still sends are cleared
 *   (Max-Age=0), nothing is returned;
 * - otherwise (opt-in, no choice yet) → nothing is stored or returned.
 * With `page: true` it also sets the page's Content-Security-Policy (`buildPlayCsp`).
 */
export function prepareAdMeasurement(
  c: Context,
  input: { consent: ConsentConfig; secure: boolean; now: Date; url: URL; pixels?: PixelIds | null; page: boolean; rejections: ClickIdRejectionCounter },
): AdMeasurement {
  const consent = readConsentState(c, input.consent);
  let clickIds: ClickIds | null = null;
  let pixels: PixelIdsInUse | null = null;
  let nonce: string | null = null;
  if (consent.adsAllowed) {
    const inUse = pixelsInUse(input.pixels);
    if (Object.keys(inUse).length > 0) {
      pixels = inUse;
      nonce = randomBytes(16).toString("base64");
    }
    clickIds = writeClickIdCookies(c, { params: input.url.searchParams, now: input.now, secure: input.secure, ensureFbp: Boolean(pixels?.meta), rejections: input.rejections });
  } else if (consent.choice === "denied") {
    clearClickIdCookies(c, { secure: input.secure, all: false });
  }
  if (input.page) c.header("Content-Security-Policy", buildPlayCsp({ pixels, nonce }));
  return { consent, clickIds, pixels, nonce };
}
