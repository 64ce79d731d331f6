import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents } from "../../db/schema/attribution";
import { conversionDestinations, conversionEventMappings, conversionOutbox, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { newId } from "../../lib/ids";
import { CONVERSION_EVENT_TYPES, resolveEventMapping, type MappingOverride } from "./resolve-event-mapping";

/** Meta and Reddit refuse events older than 7 days: nothing older is worth queueing. */
const LOOKBACK_MS = 7 * 86_400_000;
const PAGE = 5000;

/**
 * The outbox planner (job `conversions.plan`, every minute). Which path each event takes:
 * - PRESAVE, SAVE_TRACK, FOLLOW_ARTIST are written transactionally (`events.record`): their
 *   writers call `enqueueConversions` in the same transaction (integration point);
 * - SERVICE_CLICK is buffered (written in batches, after the answer) and STREAM is inserted
 *   by fan sync in one SQL statement: neither has a transaction to share, so this planner
 *   enqueues them; it also backfills any transactional event whose writer did not enqueue.
 * Views (VIEW) are never conversions. Only events of the last 7 days with a fan or click
 * ids are considered. Idempotent (unique (event, destination)). Then sends one
 * `conversions.deliver` job per destination with due rows (singleton per destination).
 * @returns rows enqueued and delivery jobs sent.
 */
export async function planConversions({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<{ enqueued: number; deliveries: number }> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - LOOKBACK_MS);
  let enqueued = 0;
  const overridesByArtist = new Map<string, MappingOverride[]>();
  for (;;) {
    const candidates = await ctx.db
      .select({ eventId: engagementEvents.id, type: engagementEvents.type, artistId: engagementEvents.artistId, playUserId: engagementEvents.playUserId, destinationId: conversionDestinations.id, platform: conversionDestinations.platform })
      .from(engagementEvents)
      .innerJoin(conversionDestinations, and(eq(conversionDestinations.artistId, engagementEvents.artistId), eq(conversionDestinations.enabled, true)))
      .where(
        and(
          inArray(engagementEvents.type, [...CONVERSION_EVENT_TYPES]),
          sql`${engagementEvents.occurredAt} >= ${since.toISOString()}`,
          sql`(${engagementEvents.playUserId} is not null or ${engagementEvents.detail} ? 'clickIds')`,
          sql`not exists (select 1 from ${conversionOutbox} o where o.event_id = ${engagementEvents.id} and o.destination_id = ${conversionDestinations.id})`,
        ),
      )
      .limit(PAGE);
    if (candidates.length === 0) break;
    const artists = [...new Set(candidates.map((c) => c.artistId))].filter((a) => !overridesByArtist.has(a));
    if (artists.length) {
      const rows = await ctx.db.select().from(conversionEventMappings).where(inArray(conversionEventMappings.artistId, artists));
      for (const a of artists) overridesByArtist.set(a, rows.filter((r) => r.artistId === a));
    }
    const rows = candidates
      .filter((c) => resolveEventMapping(c.platform as ConversionPlatform, c.type, overridesByArtist.get(c.artistId) ?? []) !== null)
      .map((c) => ({ id: newId("conversionOutbox", now), eventId: c.eventId, destinationId: c.destinationId, artistId: c.artistId, platform: c.platform, playUserId: c.playUserId, nextAttemptAt: now, createdAt: now, updatedAt: now }));
    // Candidates turned off by a mapping are never inserted; remember them as `dropped` so
    // the planner does not read them again every minute.
    const off = candidates
      .filter((c) => resolveEventMapping(c.platform as ConversionPlatform, c.type, overridesByArtist.get(c.artistId) ?? []) === null)
      .map((c) => ({ id: newId("conversionOutbox", now), eventId: c.eventId, destinationId: c.destinationId, artistId: c.artistId, platform: c.platform, playUserId: c.playUserId, status: "dropped" as const, reason: "mapping_disabled", nextAttemptAt: now, createdAt: now, updatedAt: now }));
    for (let i = 0; i < rows.length; i += 1000) {
      const inserted = await ctx.db.insert(conversionOutbox).values(rows.slice(i, i + 1000)).onConflictDoNothing().returning({ id: conversionOutbox.id });
      enqueued += inserted.length;
    }
    for (let i = 0; i < off.length; i += 1000) await ctx.db.insert(conversionOutbox).values(off.slice(i, i + 1000)).onConflictDoNothing();
    if (candidates.length < PAGE) break;
  }
  const due = await ctx.db
    .selectDistinct({ destinationId: conversionOutbox.destinationId })
    .from(conversionOutbox)
    .where(and(eq(conversionOutbox.status, "pending"), lte(conversionOutbox.nextAttemptAt, now)));
  await ctx.jobs.sendBatch(
    "conversions.deliver",
    due.map((d) => ({ data: { destinationId: d.destinationId }, options: { singletonKey: `conversions.deliver:${d.destinationId}` } })),
  );
  return { enqueued, deliveries: due.length };
}
