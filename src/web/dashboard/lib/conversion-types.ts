/* Shapes of `/api/v1/artists/{id}/conversions/…` (see the OpenAPI document). Times are ISO 8601 UTC. */

export const CONVERSION_PLATFORMS = ["meta", "google", "reddit"] as const;
export type ConversionPlatform = (typeof CONVERSION_PLATFORMS)[number];
export const CONVERSION_EVENT_TYPES = ["SERVICE_CLICK", "PRESAVE", "SAVE_TRACK", "FOLLOW_ARTIST", "STREAM"] as const;
export type ConversionEventType = (typeof CONVERSION_EVENT_TYPES)[number];
export const DELIVERY_STATUSES = ["pending", "delivered", "rejected", "dropped"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface ConversionDestination {
  id: string;
  artistId: string;
  platform: ConversionPlatform;
  accountId: string;
  conversionActionId: string | null;
  testCode: string | null;
  enabled: boolean;
  /** Write-only: never the token itself. */
  accessToken: { set: true; last4: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface ConversionMapping {
  platform: ConversionPlatform;
  eventType: ConversionEventType;
  defaultEventName: string;
  eventName: string | null;
  enabled: boolean;
  /** Minor units of `currency`. */
  valueMinor: number | null;
  currency: string | null;
  overridden: boolean;
  updatedAt: string | null;
}

export interface ConversionDelivery {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  destinationId: string;
  platform: ConversionPlatform;
  status: DeliveryStatus;
  attempts: number;
  reason: string | null;
  deduplicated: boolean;
  matchKeys: string[];
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversionAttempt {
  id: string;
  status: string;
  httpStatus: number | null;
  responseExcerpt: string | null;
  durationMs: number | null;
  attemptedAt: string;
}

export interface ConversionDeliveryDetail extends ConversionDelivery {
  attemptLog: ConversionAttempt[];
}

export interface DestinationHealth {
  destinationId: string;
  platform: ConversionPlatform;
  enabled: boolean;
  pending: number;
  delivered: number;
  rejected: number;
  dropped: number;
  deduplicated: number;
  matchKeys: Record<string, number>;
  reasons: Record<string, number>;
}

export interface ConversionHealth {
  from: string | null;
  to: string | null;
  data: DestinationHealth[];
}

export interface TestConversionResult {
  eventId: string;
  eventName: string;
  status: "accepted" | "rejected" | "retry" | "unsent";
  reason: string | null;
  httpStatus: number | null;
  responseExcerpt: string;
  durationMs: number;
  sentAt: string;
}

export const PLATFORM_LABELS: Record<ConversionPlatform, string> = { meta: "Meta", google: "Google Ads", reddit: "Reddit" };
export const EVENT_TYPE_LABELS: Record<ConversionEventType, string> = {
  SERVICE_CLICK: "Service click",
  PRESAVE: "Pre-save",
  SAVE_TRACK: "Save",
  FOLLOW_ARTIST: "Follow",
  STREAM: "Stream",
};
export const STATUS_LABELS: Record<DeliveryStatus, string> = { pending: "Pending", delivered: "Delivered", rejected: "Rejected", dropped: "Not sent" };

/** Why a row was not sent (our reasons) in plain words; platform reasons are shown as given. */
export const REASON_LABELS: Record<string, string> = {
  consent_withdrawn: "No ad consent from the fan",
  stale_event: "Too old for the platform",
  no_click_id: "Fan did not come from this platform's ad",
  flagged: "Fan flagged as likely fraud (see Analytics → Traffic quality)",
  mapping_disabled: "Event type turned off in the mapping",
  destination_disabled: "Destination turned off",
  rate_limited: "Rate limited (will retry)",
};
