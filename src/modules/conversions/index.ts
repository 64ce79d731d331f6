/**
 * Conversions module's public face. This part: click ids and consent (PROMISES P10, P12)
 * and browser pixels. Server-side delivery: the outbox, the Conversions API sinks, health.
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

// Server-side delivery.
export { DENY_ALL_CONSENT, type ConsentGate } from "./consent-gate";
export { createConversionSinks, type ConversionSinks } from "./create-conversion-sinks";
export { enqueueConversions, type ConversionEventRef } from "./enqueue-conversions";
export { planConversions } from "./plan-conversions";
export { deliverConversions } from "./deliver-conversions";
export { upsertConversionDestination, type ConversionDestinationView } from "./upsert-conversion-destination";
export { setConversionMapping, type ConversionMappingInput } from "./set-conversion-mapping";
export { listConversionMappings, type ConversionMappingView } from "./list-conversion-mappings";
export { createConversionDestination } from "./create-conversion-destination";
export { updateConversionDestination } from "./update-conversion-destination";
export { listConversionDestinations } from "./list-conversion-destinations";
export type { DestinationSettingsView } from "./destination-settings-view";
export { listConversionDeliveries, OUTBOX_STATUSES, type ConversionDeliveryView, type ListConversionDeliveriesInput } from "./list-conversion-deliveries";
export { getConversionDelivery, type ConversionAttemptView } from "./get-conversion-delivery";
export { sendTestConversion, type TestConversionResult } from "./send-test-conversion";
export { getConversionHealth, MAX_HEALTH_RANGE_DAYS, type DestinationHealth } from "./get-conversion-health";
export { eraseFanConversions, dropFanConversions } from "./privacy";
export { hashIdentifier, type IdentifierKind } from "./hash-identifier";
export { DEFAULT_EVENT_MAPPING, CONVERSION_EVENT_TYPES, resolveEventMapping, type ConversionEventType } from "./resolve-event-mapping";
