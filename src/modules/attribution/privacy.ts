import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents } from "../../db/schema/attribution";

/**
 * Attribution's data-subject hooks for a Play user.
 * `exportFanEvents`: the fan's engagement events (machine-readable, no visitor hash).
 * `eraseFanEvents`: deletes them now (P17 allows 14 days; we do not wait). Aggregates
 * that no longer name the fan are not kept here, so nothing else remains.
 */
export async function exportFanEvents({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }) {
  const rows = await ctx.db.select().from(engagementEvents).where(eq(engagementEvents.playUserId, input.playUserId)).orderBy(engagementEvents.id);
  return rows.map(({ visitorHash: _hash, ...event }) => event);
}

export async function eraseFanEvents({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ deleted: number }> {
  const deleted = await ctx.db.delete(engagementEvents).where(eq(engagementEvents.playUserId, input.playUserId)).returning({ id: engagementEvents.id });
  return { deleted: deleted.length };
}
