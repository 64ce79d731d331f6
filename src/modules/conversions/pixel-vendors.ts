import type { PixelIds } from "../../db/schema/play";
/**
 * Browser pixels (per smart link: `smart_links.pixels`) — their script URLs, the hosts a
 * page's Content-Security-Policy must allow when they load, and the event names the
 * browser fires. Constants only.
 *
 * Deduplication: a browser event and the server-side event (Conversions API) of the same
 * engagement carry the same event name and the engagement event's id (`evt_…`):
 * Meta `eventID` ↔ CAPI `event_id`; TikTok `event_id`; Reddit `conversionId` ↔ CAPI
 * `event_metadata.conversion_id`; Google `transaction_id`. Server-side delivery must use
 * `PIXEL_EVENT_NAMES` as its default names, or the platforms count twice.
 */
export type PixelVendor = "meta" | "google" | "tiktok" | "reddit";

/** Backbeat event types fired in the browser. `VIEW` is browser-only (PageView), without an event id. */
export type PixelEventType = "VIEW" | "SERVICE_CLICK" | "PRESAVE" | "SAVE_TRACK" | "FOLLOW_ARTIST";

/** Default event names per platform (standard events where one fits). */
export const PIXEL_EVENT_NAMES: Record<PixelVendor, Record<PixelEventType, string>> = {
  // https://developers.facebook.com/docs/meta-pixel/reference#standard-events
  meta: { VIEW: "PageView", SERVICE_CLICK: "ViewContent", PRESAVE: "AddToWishlist", SAVE_TRACK: "AddToWishlist", FOLLOW_ARTIST: "Subscribe" },
  // https://ads.tiktok.com/help/article/standard-events-parameters
  tiktok: { VIEW: "Pageview", SERVICE_CLICK: "ClickButton", PRESAVE: "AddToWishlist", SAVE_TRACK: "AddToWishlist", FOLLOW_ARTIST: "Subscribe" },
  // https://business.reddithelp.com/s/article/about-event-types
  reddit: { VIEW: "PageVisit", SERVICE_CLICK: "ViewContent", PRESAVE: "AddToWishlist", SAVE_TRACK: "AddToWishlist", FOLLOW_ARTIST: "Lead" },
  // gtag events (https://developers.google.com/tag-platform/gtagjs/reference/events)
  google: { VIEW: "page_view", SERVICE_CLICK: "service_click", PRESAVE: "presave", SAVE_TRACK: "save_track", FOLLOW_ARTIST: "follow_artist" },
};

interface VendorHosts {
  /** Script URL; `{id}` is replaced by the pixel id (URL-encoded). */
  script: string;
  scriptHosts: string[];
  /** Beacons (`img-src`, `connect-src`). */
  beaconHosts: string[];
  frameHosts: string[];
}

export const PIXEL_VENDORS: Record<PixelVendor, VendorHosts> = {
  // https://developers.facebook.com/docs/meta-pixel/get-started
  meta: { script: "https://connect.facebook.net/en_US/fbevents.js", scriptHosts: ["https://connect.facebook.net"], beaconHosts: ["https://www.facebook.com"], frameHosts: [] },
  // https://developers.google.com/tag-platform/security/guides/csp
  google: {
    script: "https://www.googletagmanager.com/gtag/js?id={id}",
    scriptHosts: ["https://www.googletagmanager.com", "https://www.googleadservices.com", "https://googleads.g.doubleclick.net"],
    beaconHosts: ["https://www.googletagmanager.com", "https://googleads.g.doubleclick.net", "https://www.google.com"],
    frameHosts: ["https://td.doubleclick.net", "https://www.googletagmanager.com"],
  },
  // https://ads.tiktok.com/help/article/get-started-pixel
  tiktok: { script: "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid={id}&lib=ttq", scriptHosts: ["https://analytics.tiktok.com"], beaconHosts: ["https://analytics.tiktok.com"], frameHosts: [] },
  // https://business.reddithelp.com/s/article/manual-pixel-install
  reddit: { script: "https://www.redditstatic.com/ads/pixel.js", scriptHosts: ["https://www.redditstatic.com"], beaconHosts: ["https://alb.reddit.com", "https://pixel-config.reddit.com"], frameHosts: [] },
};

/** Pixel ids of one smart link, only the vendors with an id. */
export type PixelIdsInUse = Partial<Record<PixelVendor, string>>;

/** Vendors with a configured (validated on write: `[A-Za-z0-9_-]{1,32}`) id. */
export function pixelsInUse(pixels: PixelIds | null | undefined): PixelIdsInUse {
  const out: PixelIdsInUse = {};
  if (!pixels) return out;
  for (const vendor of ["meta", "google", "tiktok", "reddit"] as const) {
    const id = pixels[vendor];
    if (id && /^[A-Za-z0-9_-]{1,32}$/.test(id)) out[vendor] = id;
  }
  return out;
}
