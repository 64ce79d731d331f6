/**
 * Conversions module's public face. This part: click ids and consent (PROMISES P10, P12)
 * and browser pixels. Server-side delivery (outbox, Conversions APIs) adds its own files.
 */
export { hasAdConsent, type HasAdConsentInput } from "./has-ad-consent";
export { isProcessingRestricted } from "./is-processing-restricted";
export { recordConsent, type ConsentRecord, type RecordConsentInput } from "./record-consent";
export { linkConsentToFan } from "./link-consent-to-fan";
export { exportFanConsent } from "./export-fan-consent";
export { eraseFanConsent } from "./erase-fan-consent";
export { readClickIds, type ClickIds } from "./read-click-ids";
export { validateClickId, CLICK_ID_SOURCES, CLICK_ID_MAX_LENGTH, FBC_PATTERN, FBP_PATTERN, type ClickIdSource, type ClickIdRejection } from "./validate-click-id";
export { CLICK_ID_COOKIES, FBP_COOKIE, ALL_CLICK_ID_COOKIE_NAMES, type ClickIdCookie } from "./click-id-cookies";
export { readConsentState, CONSENT_COOKIE, CONSENT_SUBJECT_COOKIE, CONSENT_COOKIE_MAX_AGE_S, type ConsentState } from "./read-consent-state";
export { writeClickIdCookies, clearClickIdCookies, type WriteClickIdCookiesInput } from "./write-click-id-cookies";
export { createClickIdRejectionCounter, type ClickIdRejectionCounter } from "./create-click-id-rejection-counter";
export { prepareAdMeasurement, type AdMeasurement } from "./prepare-ad-measurement";
export { buildPlayCsp } from "./build-play-csp";
export { PIXEL_EVENT_NAMES, PIXEL_VENDORS, pixelsInUse, type PixelVendor, type PixelEventType, type PixelIdsInUse } from "./pixel-vendors";
export { consentRoutes, type ConsentRoutesDeps } from "./consent-routes";
