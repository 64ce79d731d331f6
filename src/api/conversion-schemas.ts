import { z } from "@hono/zod-openapi";
import { CONVERSION_EVENT_TYPES, OUTBOX_STATUSES } from "../modules/conversions/index";

/* Zod schemas of the conversions routes of `/api/v1` (destinations, mapping, delivery log, health, test events). */

const time = z.string().openapi({ format: "date-time", example: "2026-11-29T12:00:00.000Z" });
const platform = z.enum(["meta", "google", "reddit"]).openapi("ConversionPlatform");
const eventType = z.enum(CONVERSION_EVENT_TYPES as unknown as [string, ...string[]]).openapi("ConversionEventType");
const status = z.enum(OUTBOX_STATUSES as unknown as [string, ...string[]]).openapi("ConversionDeliveryStatus");
const count = z.number().int();

export const ConversionDestination = z
  .object({
    id: z.string(),
    artistId: z.string(),
    platform,
    accountId: z.string().openapi({ description: "Meta pixel / dataset id; Google Ads customer id (10 digits); Reddit pixel id" }),
    conversionActionId: z.string().nullable().openapi({ description: "Google conversion action (product destination) id; null elsewhere" }),
    testCode: z.string().nullable().openapi({ description: "Meta `test_event_code`, Reddit `test_id`; for Google it turns on `validateOnly` (validated, not ingested)" }),
    enabled: z.boolean(),
    accessToken: z
      .object({ set: z.literal(true), last4: z.string().nullable().openapi({ description: "Last 4 characters of a token of 16 or more; null otherwise" }) })
      .openapi({ description: "Write-only: the token itself is never returned" }),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("ConversionDestination");
export const ConversionDestinationList = z.object({ data: z.array(ConversionDestination) }).openapi("ConversionDestinationList");

export const ConversionDestinationInput = z
  .object({
    platform: z.string().openapi({ example: "meta", description: "meta | google | reddit (one destination per platform)" }),
    accountId: z.string().openapi({ example: "1234567890123" }),
    conversionActionId: z.string().nullable().optional().openapi({ description: "Required for Google" }),
    accessToken: z.string().openapi({ description: "Meta Conversions API access token; Google access token with the Data Manager scope; Reddit conversion access token. Sealed at rest, never returned." }),
    testCode: z.string().nullable().optional(),
    enabled: z.boolean().optional().openapi({ description: "Default true" }),
  })
  .openapi("ConversionDestinationInput");
export const ConversionDestinationPatch = z
  .object({
    accountId: z.string().optional(),
    conversionActionId: z.string().nullable().optional(),
    accessToken: z.string().optional().openapi({ description: "A new token; leave out to keep the stored one" }),
    testCode: z.string().nullable().optional().openapi({ description: "null clears it" }),
    enabled: z.boolean().optional().openapi({ description: "false disables the destination: queued deliveries are dropped (`destination_disabled`), nothing new is queued" }),
  })
  .openapi("ConversionDestinationPatch");

export const ConversionMapping = z
  .object({
    platform,
    eventType,
    defaultEventName: z.string(),
    eventName: z.string().nullable().openapi({ description: "The artist's event name; null = the default" }),
    enabled: z.boolean(),
    valueMinor: z.number().int().nullable().openapi({ description: "Conversion value in minor units of `currency`" }),
    currency: z.string().nullable(),
    overridden: z.boolean(),
    updatedAt: time.nullable(),
  })
  .openapi("ConversionMapping");
export const ConversionMappingList = z.object({ data: z.array(ConversionMapping) }).openapi("ConversionMappingList");
export const ConversionMappingInput = z
  .object({
    eventName: z.string().nullable().optional().openapi({ description: "Standard or custom platform event name; null or left out = the default" }),
    enabled: z.boolean().optional().openapi({ description: "Default true; false = never send this event type to this platform" }),
    valueMinor: z.number().nullable().optional().openapi({ description: "Whole minor units (cents); with `currency`" }),
    currency: z.string().nullable().optional().openapi({ description: "ISO 4217, e.g. EUR; with `valueMinor`" }),
  })
  .openapi("ConversionMappingInput");
export const ConversionMappingResult = z
  .object({ platform, eventType, eventName: z.string().nullable(), enabled: z.boolean(), valueMinor: z.number().int().nullable(), currency: z.string().nullable() })
  .openapi("ConversionMappingResult");

const deliveryShape = {
  id: z.string(),
  eventId: z.string().openapi({ description: "The engagement event id, sent as the platform's event id (dedupe key)" }),
  eventType: z.string(),
  occurredAt: time,
  destinationId: z.string(),
  platform,
  status,
  attempts: count.openapi({ description: "Sends so far" }),
  reason: z.string().nullable().openapi({ description: "Platform reason (rejected), ours (dropped: consent_withdrawn, flagged, stale_event, no_click_id, mapping_disabled, destination_disabled), or the last error while retrying" }),
  deduplicated: z.boolean(),
  matchKeys: z.array(z.string()).openapi({ description: "Names of the match keys sent (fbc, fbp, gclid, rdt_cid, external_id…), never values" }),
  nextAttemptAt: time,
  deliveredAt: time.nullable(),
  createdAt: time,
  updatedAt: time,
};
export const ConversionDelivery = z.object(deliveryShape).openapi("ConversionDelivery");
export const ConversionAttempt = z
  .object({
    id: z.string(),
    status: z.string().openapi({ description: "accepted | rejected | retry | dropped" }),
    httpStatus: z.number().int().nullable(),
    responseExcerpt: z.string().nullable().openapi({ description: "≤ 500 characters of the platform's answer, credentials scrubbed" }),
    durationMs: count.nullable().openapi({ description: "null for the accepted attempt, which is read off the delivery itself (no per-row timing)" }),
    attemptedAt: time,
  })
  .openapi("ConversionAttempt");
export const ConversionDeliveryDetail = z.object({ ...deliveryShape, attemptLog: z.array(ConversionAttempt).openapi({ description: "Every attempt, oldest first" }) }).openapi("ConversionDeliveryDetail");

export const ConversionHealth = z
  .object({
    from: z.string().nullable().openapi({ format: "date" }),
    to: z.string().nullable().openapi({ format: "date" }),
    data: z.array(
      z.object({
        destinationId: z.string(),
        platform,
        enabled: z.boolean(),
        pending: count,
        delivered: count,
        rejected: count,
        dropped: count,
        deduplicated: count.openapi({ description: "Delivered rows the platform reported as duplicates" }),
        matchKeys: z.record(z.string(), count).openapi({ description: "Delivered rows sent with each match key, e.g. { fbc: 12, external_id: 12 }" }),
        reasons: z.record(z.string(), count).openapi({ description: "Reasons of rejected and dropped rows with their counts" }),
      }),
    ),
  })
  .openapi("ConversionHealth");

export const TestConversionInput = z.object({ eventType: z.string().optional().openapi({ description: "Which event to imitate (default SERVICE_CLICK)" }) }).openapi("TestConversionInput");
export const TestConversionResult = z
  .object({
    eventId: z.string(),
    eventName: z.string(),
    status: z.enum(["accepted", "rejected", "retry", "unsent"]),
    reason: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    responseExcerpt: z.string(),
    durationMs: count,
    sentAt: time,
  })
  .openapi("TestConversionResult");

const q = (name: string, description: string, example?: string) => z.string().optional().openapi({ param: { name, in: "query" }, description, ...(example ? { example } : {}) });
export const DeliveryQuery = z.object({
  limit: q("limit", "1…100, default 25", "25"),
  cursor: q("cursor", "`nextCursor` of the previous page (opaque)"),
  destinationId: q("destinationId", "Only this destination"),
  status: q("status", `One of ${OUTBOX_STATUSES.join(", ")}`, "rejected"),
  eventType: q("eventType", `One of ${CONVERSION_EVENT_TYPES.join(", ")}`, "SAVE_TRACK"),
});
export const HealthQuery = z.object({
  from: q("from", "First UTC day (inclusive), by the time a delivery was queued; with `to`. Both left out: all time", "2026-11-01"),
  to: q("to", "Last UTC day (inclusive); at most 366 days after `from`", "2026-11-28"),
});
