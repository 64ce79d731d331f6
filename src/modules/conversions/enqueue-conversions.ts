import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionDestinations, conversionEventMappings, conversionOutbox } from "../../db/schema/conversion-delivery";
import { newId } from "../../lib/ids";
import { resolveEventMapping } from "./resolve-event-mapping";

export interface ConversionEventRef {
  /** The engagement event id (becomes the platforms' event id: dedupe key). */
  id: string;
  type: string;
  artistId: string;
  playUserId: string | null;
}

/**
 * Queues one outbox row per enabled destination of the event's artist whose mapping sends
 * this event type. Call it with the transaction that writes the event (`ctx.db` = tx), so
 * the event and its deliveries commit together. Idempotent: unique (event, destination),
 * a second call inserts nothing. Views and other non-conversion types queue nothing.
 * Consent is checked at delivery time (a fan may withdraw between now and then).
 * @returns rows inserted now.
 */
export async function enqueueConversions({ ctx, input }: { ctx: Ctx; input: { event: ConversionEventRef } }): Promise<{ enqueued: number }> {
  const { event } = input;
  const destinations = await ctx.db
    .select({ id: conversionDestinations.id, platform: conversionDestinations.platform })
    .from(conversionDestinations)
    .where(and(eq(conversionDestinations.artistId, event.artistId), eq(conversionDestinations.enabled, true)));
  if (destinations.length === 0) return { enqueued: 0 };
  const overrides = await ctx.db.select().from(conversionEventMappings).where(eq(conversionEventMappings.artistId, event.artistId));
  const now = ctx.clock.now();
  const rows = destinations
    .filter((d) => resolveEventMapping(d.platform, event.type, overrides) !== null)
    .map((d) => ({
      id: newId("conversionOutbox", now),
      eventId: event.id,
      destinationId: d.id,
      artistId: event.artistId,
      platform: d.platform,
      playUserId: event.playUserId,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    }));
  if (rows.length === 0) return { enqueued: 0 };
  const inserted = await ctx.db.insert(conversionOutbox).values(rows).onConflictDoNothing().returning({ id: conversionOutbox.id });
  return { enqueued: inserted.length };
}
