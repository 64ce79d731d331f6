import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionOutbox } from "../../db/schema/conversion-delivery";

/**
 * Conversions' data-subject hooks for a Play user.
 * `eraseFanConversions`: deletes the fan's outbox rows and, by cascade, their attempts
 * (the FK to `play_users` does the same when the fan is erased; this hook is for erasure
 * paths that keep the Play user).
 * `dropFanConversions`: consent withdrawn or processing restricted (P12) — the fan's queued
 * rows become `dropped` with `consent_withdrawn` at once, so nothing queued is sent even
 * before delivery re-checks the consent gate.
 */
export async function eraseFanConversions({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ deleted: number }> {
  const deleted = await ctx.db.delete(conversionOutbox).where(eq(conversionOutbox.playUserId, input.playUserId)).returning({ id: conversionOutbox.id });
  return { deleted: deleted.length };
}

export async function dropFanConversions({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ dropped: number }> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .update(conversionOutbox)
    .set({ status: "dropped", reason: "consent_withdrawn", updatedAt: now })
    .where(and(eq(conversionOutbox.playUserId, input.playUserId), eq(conversionOutbox.status, "pending")))
    .returning({ id: conversionOutbox.id });
  return { dropped: rows.length };
}
