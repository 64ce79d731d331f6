import { and, eq, inArray, or } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents } from "../../db/schema/attribution";
import { conversionOutbox } from "../../db/schema/conversion-delivery";

/** The fan's event ids (through the events' fan index; the outbox has no fan index of its own). */
const fanEvents = (ctx: Ctx, playUserId: string) => ctx.db.select({ id: engagementEvents.id }).from(engagementEvents).where(eq(engagementEvents.playUserId, playUserId));

/**
 * Conversions' data-subject hooks for a Play user.
 * `eraseFanConversions`: deletes the fan's outbox rows and, by cascade, their attempts
 * (erasing the fan's events does the same by FK cascade; this hook is for erasure paths
 * that keep the events).
 * `dropFanConversions`: consent withdrawn or processing restricted (P12) — the queued rows
 * of the fan (`playUserId`) and of the browser (`consentSubject`, events without a fan)
 * become `dropped` with `consent_withdrawn` at once, so nothing queued is sent even
 * before delivery re-checks the consent gate; their sealed client IP / user agent are
 * cleared with them (P11).
 */
export async function eraseFanConversions({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ deleted: number }> {
  const deleted = await ctx.db.delete(conversionOutbox).where(inArray(conversionOutbox.eventId, fanEvents(ctx, input.playUserId))).returning({ id: conversionOutbox.id });
  return { deleted: deleted.length };
}

export async function dropFanConversions({ ctx, input }: { ctx: Ctx; input: { playUserId?: string | null; consentSubject?: string | null } }): Promise<{ dropped: number }> {
  const who = [
    ...(input.playUserId ? [inArray(conversionOutbox.eventId, fanEvents(ctx, input.playUserId))] : []),
    // Rows of events this browser made without a fan (kept with its consent id).
    ...(input.consentSubject ? [eq(conversionOutbox.consentSubject, input.consentSubject)] : []),
  ];
  if (who.length === 0) return { dropped: 0 };
  const now = ctx.clock.now();
  const rows = await ctx.db
    .update(conversionOutbox)
    .set({ status: "dropped", reason: "consent_withdrawn", updatedAt: now, clientSealed: null, consentSubject: null })
    .where(and(or(...who), eq(conversionOutbox.status, "pending")))
    .returning({ id: conversionOutbox.id });
  return { dropped: rows.length };
}
