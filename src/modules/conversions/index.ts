// Server-side delivery (capi branch). The consent / click-id side adds its exports here too.
export { DENY_ALL_CONSENT, type ConsentGate } from "./consent-gate";
export { createConversionSinks, type ConversionSinks } from "./create-conversion-sinks";
export { enqueueConversions, type ConversionEventRef } from "./enqueue-conversions";
export { planConversions } from "./plan-conversions";
export { deliverConversions } from "./deliver-conversions";
export { upsertConversionDestination, type ConversionDestinationView } from "./upsert-conversion-destination";
export { setConversionMapping } from "./set-conversion-mapping";
export { getConversionHealth, type DestinationHealth } from "./get-conversion-health";
export { eraseFanConversions, dropFanConversions } from "./privacy";
export { hashIdentifier, type IdentifierKind } from "./hash-identifier";
export { DEFAULT_EVENT_MAPPING, CONVERSION_EVENT_TYPES, resolveEventMapping, type ConversionEventType } from "./resolve-event-mapping";
