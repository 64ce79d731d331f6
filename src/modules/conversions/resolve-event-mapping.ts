import type { ConversionPlatform } from "../../db/schema/conversion-delivery";

/** Backbeat events that are conversions (views are not). */
export type ConversionEventType = "SERVICE_CLICK" | "PRESAVE" | "SAVE_TRACK" | "FOLLOW_ARTIST" | "STREAM";
export const CONVERSION_EVENT_TYPES: readonly ConversionEventType[] = ["SERVICE_CLICK", "PRESAVE", "SAVE_TRACK", "FOLLOW_ARTIST", "STREAM"];

/**
 * Default platform event names. Meta standard events
 * (https://developers.facebook.com/docs/meta-pixel/reference#standard-events): a click out
 * to a service is `ViewContent`, a pre-save `Lead`, a save / follow `Subscribe` — and
 * STREAM a custom `Stream`. Reddit tracking types: `ViewContent`, `Lead`, `SignUp`, custom
 * `Stream`. Google ignores the name (the conversion action decides the type); we keep a
 * descriptive one for the delivery log.
 */
export const DEFAULT_EVENT_MAPPING: Record<ConversionPlatform, Record<ConversionEventType, string>> = {
  meta: { SERVICE_CLICK: "ViewContent", PRESAVE: "Lead", SAVE_TRACK: "Subscribe", FOLLOW_ARTIST: "Subscribe", STREAM: "Stream" },
  google: { SERVICE_CLICK: "service_click", PRESAVE: "presave", SAVE_TRACK: "save_track", FOLLOW_ARTIST: "follow_artist", STREAM: "stream" },
  reddit: { SERVICE_CLICK: "ViewContent", PRESAVE: "Lead", SAVE_TRACK: "SignUp", FOLLOW_ARTIST: "SignUp", STREAM: "Stream" },
};

export interface MappingOverride {
  platform: ConversionPlatform;
  eventType: string;
  eventName: string | null;
  enabled: boolean;
  valueMinor: number | null;
  currency: string | null;
}

export interface ResolvedMapping {
  eventName: string;
  value: { minor: number; currency: string } | undefined;
}

/**
 * The platform event for a Backbeat event type: the artist's override when present, else
 * the default; null when the type is not a conversion or the artist turned it off.
 * Value: from the override (minor units + currency) — INTEGRATION POINT: attribution's
 * per-artist valuation (cost per save / follow / stream) replaces this once it lands.
 */
export function resolveEventMapping(platform: ConversionPlatform, eventType: string, overrides: MappingOverride[]): ResolvedMapping | null {
  if (!(CONVERSION_EVENT_TYPES as readonly string[]).includes(eventType)) return null;
  const override = overrides.find((o) => o.platform === platform && o.eventType === eventType);
  if (override && !override.enabled) return null;
  const eventName = override?.eventName ?? DEFAULT_EVENT_MAPPING[platform][eventType as ConversionEventType];
  const value = override?.valueMinor != null && override.currency ? { minor: override.valueMinor, currency: override.currency } : undefined;
  return { eventName, value };
}
