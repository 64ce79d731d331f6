import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionDestinations, conversionEventMappings } from "../../db/schema/conversion-delivery";
import { badRequest, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { open } from "../../lib/seal";
import type { SinkClickIds } from "../../providers/conversion-sink/port";
import { recordAudit, requireArtistRole } from "../accounts/index";
import { hashIdentifier } from "./hash-identifier";
import { CONVERSION_EVENT_TYPES, DEFAULT_EVENT_MAPPING, resolveEventMapping, type ConversionEventType } from "./resolve-event-mapping";

export interface TestConversionResult {
  /** The synthetic event id sent (`tst_…`; never an engagement event). */
  eventId: string;
  eventName: string;
  /** The platform's verdict on the event. */
  status: "accepted" | "rejected" | "retry" | "unsent";
  reason: string | null;
  httpStatus: number | null;
  /** ≤ 500 characters of the platform's answer, credentials scrubbed. */
  responseExcerpt: string;
  durationMs: number;
  sentAt: Date;
}

/**
 * Sends one synthetic conversion through a destination in the platform's test mode, to
 * check the ids and the token: Meta with `test_event_code` (shows under Test events,
 * https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api#testEvents),
 * Reddit with `test_id`, Google with `validateOnly` (validated, never ingested). Refused
 * without a test code, so a test never counts as a real conversion. The event carries
 * placeholder click ids and a hashed test external id; nothing is queued or stored besides
 * the audit entry (`conversion_destination.test`). Editors; keys with `conversions.write`.
 * @param input.eventType which Backbeat event to imitate (default SERVICE_CLICK); the
 *   artist's mapping names it, even when that mapping is off.
 * @throws AppError NOT_FOUND (artist / destination, or another tenant's), FORBIDDEN,
 *   BAD_REQUEST (`testCode` not set, `eventType`).
 */
export async function sendTestConversion({ ctx, input }: { ctx: Ctx; input: { artistId: string; destinationId: string; eventType?: unknown } }): Promise<TestConversionResult> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "editor", keyScope: "conversions.write" } });
  const eventType = input.eventType ?? "SERVICE_CLICK";
  if (typeof eventType !== "string" || !(CONVERSION_EVENT_TYPES as readonly string[]).includes(eventType)) throw badRequest("eventType", `must be one of ${CONVERSION_EVENT_TYPES.join(", ")}`);
  const [destination] = await ctx.db
    .select({ id: conversionDestinations.id, platform: conversionDestinations.platform, accountId: conversionDestinations.accountId, conversionActionId: conversionDestinations.conversionActionId, accessTokenSealed: conversionDestinations.accessTokenSealed, testCode: conversionDestinations.testCode })
    .from(conversionDestinations)
    .where(and(eq(conversionDestinations.id, input.destinationId), eq(conversionDestinations.artistId, artist.id)));
  if (!destination) throw notFound(`conversion destination ${input.destinationId}`);
  if (!destination.testCode) throw badRequest("testCode", "set a test event code on this destination first, so the test is not counted as a real conversion");
  const platform = destination.platform;
  const overrides = await ctx.db
    .select({ platform: conversionEventMappings.platform, eventType: conversionEventMappings.eventType, eventName: conversionEventMappings.eventName, enabled: conversionEventMappings.enabled, valueMinor: conversionEventMappings.valueMinor, currency: conversionEventMappings.currency })
    .from(conversionEventMappings)
    .where(and(eq(conversionEventMappings.artistId, artist.id), eq(conversionEventMappings.platform, platform)));
  const mapping = resolveEventMapping(platform, eventType, overrides.map((o) => ({ ...o, enabled: true })));
  const eventName = mapping?.eventName ?? DEFAULT_EVENT_MAPPING[platform][eventType as ConversionEventType];
  const now = ctx.clock.now();
  const eventId = newId("conversionTest", now);
  // Placeholders in each platform's click-id shape: enough for the platform to check the request.
  const clickIds: SinkClickIds = platform === "meta" ? { fbc: `fb.1.${now.getTime()}.BackbeatTestEvent`, fbp: `fb.1.${now.getTime()}.1000000000` } : platform === "google" ? { gclid: "BackbeatTestEvent" } : { rdtCid: "BackbeatTestEvent" };
  const accessToken = open(ctx.config.keyRing, { table: "conversion_destinations", column: "access_token", rowId: destination.id }, destination.accessTokenSealed);
  const started = performance.now();
  const result = await ctx.conversions.sinks[platform].send({
    destination: { accountId: destination.accountId, conversionActionId: destination.conversionActionId, accessToken, testCode: destination.testCode },
    events: [{ eventId, eventName, eventTimeMs: now.getTime(), sourceUrl: `${ctx.config.publicUrl}/`, value: mapping?.value, clickIds, hashed: { externalId: [hashIdentifier(platform, "external_id", "backbeat-test-event")] } }],
  });
  const durationMs = Math.round(performance.now() - started);
  const outcome = result.outcomes.find((o) => o.eventId === eventId) ?? { status: "rejected" as const, reason: "no answer for the test event" };
  await recordAudit({
    ctx,
    input: {
      organizationId: artist.organizationId,
      artistId: artist.id,
      action: "conversion_destination.test",
      resourceType: "conversion_destination",
      resourceId: destination.id,
      summary: `sent a test ${eventName} to the ${platform} conversions destination of ${artist.name}: ${outcome.status}`,
      metadata: { platform, eventType, eventName, status: outcome.status, httpStatus: result.httpStatus ?? null },
    },
  });
  return { eventId, eventName, status: outcome.status, reason: outcome.reason ?? null, httpStatus: result.httpStatus ?? null, responseExcerpt: result.excerpt, durationMs, sentAt: now };
}
