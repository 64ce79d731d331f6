import { and, eq, lte, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionOutbox } from "../../db/schema/conversion-delivery";
import { enqueueConversions } from "./enqueue-conversions";
import { outboxEligibility } from "./outbox-eligibility";

/** Meta and Reddit refuse events older than 7 days: nothing older is worth queueing. */
const LOOKBACK_MS = 7 * 86_400_000;
const PAGE = 5000;

/**
 * Job `conversions.plan` (every minute): the outbox sweeper, then the delivery trigger.
 *
 * Every writer of engagement events writes their outbox rows in the same transaction
 * (`enqueueConversions`, via the event recorder and fan sync). The sweeper only catches
 * what that could not see: an event of the last 7 days that is eligible
 * (`outboxEligibility`) for an enabled destination created or re-enabled after the event
 * was written. Those rows carry no client IP / user agent (the request is gone). Consent is
 * applied as at write time (refused → `dropped` rows, so nothing is read twice).
 * Idempotent (unique (event, destination)).
 *
 * Then sends one `conversions.deliver` per destination with due rows (singleton per
 * destination): delivery latency is at most about a minute.
 * @returns rows enqueued by the sweep and delivery jobs sent.
 */
export async function planConversions({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<{ enqueued: number; deliveries: number }> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - LOOKBACK_MS);
  let enqueued = 0;
  for (;;) {
    const missing = await ctx.db.execute(sql`
      select e.id, e.type, e.artist_id, e.play_user_id, e.occurred_at, e.detail
        from engagement_events e
       where e.occurred_at >= ${since.toISOString()}::timestamptz
         and exists (select 1 from conversion_destinations d
                      where d.artist_id = e.artist_id and d.enabled
                        and not exists (select 1 from conversion_outbox o where o.event_id = e.id and o.destination_id = d.id)
                        and ${outboxEligibility(sql`e`, sql`d`)})
       limit ${PAGE}`);
    const rows = missing.rows as Array<{ id: string; type: string; artist_id: string; play_user_id: string | null; occurred_at: string | Date; detail: Record<string, unknown> | string }>;
    if (rows.length === 0) break;
    const result = await ctx.db.transaction((tx) =>
      enqueueConversions({
        ctx: { ...ctx, db: tx },
        input: {
          events: rows.map((r) => ({
            id: r.id,
            type: r.type,
            artistId: r.artist_id,
            playUserId: r.play_user_id,
            occurredAt: new Date(r.occurred_at),
            detail: typeof r.detail === "string" ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
          })),
        },
      }),
    );
    enqueued += result.enqueued;
    // Every candidate got its rows (eligibility is the same condition): a short page is the last.
    if (rows.length < PAGE || result.enqueued === 0) break;
  }
  const due = await ctx.db
    .selectDistinct({ destinationId: conversionOutbox.destinationId })
    .from(conversionOutbox)
    .where(and(eq(conversionOutbox.status, "pending"), lte(conversionOutbox.nextAttemptAt, now)));
  await ctx.jobs.sendBatch(
    "conversions.deliver",
    due.map((d) => ({ data: { destinationId: d.destinationId }, options: { singletonKey: `conversions.deliver:${d.destinationId}`, startAfter: now } })),
  );
  return { enqueued, deliveries: due.length };
}
