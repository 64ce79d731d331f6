import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { fanRevocations, fanSyncStates, syncAlerts } from "../../db/schema/attribution";
import { playUsers } from "../../db/schema/play";
import { erasePlayUser } from "../play/index";
import { REVOCATION_BURST } from "./confirm-revocation";

/**
 * Job `attribution.resume-deletions` `{ action }` — the operator's answer to a revocation
 * burst alert (see `confirm-revocation.ts`). Clears open `revocation_burst` alerts, then for
 * every fan in `deletion_paused`:
 * - `action: "delete"` — the burst was real: erases them (their revocation was confirmed
 *   twice already) with Play's erase hook;
 * - `action: "restore"` — the burst was Spotify's fault: they go back to `active` and are
 *   polled again (a real revocation comes back through the two-step check).
 * Revocations counted before the clearing never count toward a new burst.
 * @returns `{ cleared, deleted, restored }`.
 */
export async function resumeDeletions({ ctx, input }: { ctx: Ctx; input: { action: "delete" | "restore" } }): Promise<{ cleared: number; deleted: number; restored: number }> {
  const now = ctx.clock.now();
  const cleared = await ctx.db
    .update(syncAlerts)
    .set({ clearedAt: now })
    .where(and(eq(syncAlerts.kind, REVOCATION_BURST), isNull(syncAlerts.clearedAt)))
    .returning({ id: syncAlerts.id });
  const paused = await ctx.db
    .select({ id: playUsers.id, spotifyUserId: playUsers.spotifyUserId })
    .from(fanSyncStates)
    .innerJoin(playUsers, eq(playUsers.id, fanSyncStates.playUserId))
    .where(eq(fanSyncStates.status, "deletion_paused"));
  let deleted = 0;
  let restored = 0;
  if (input.action === "restore" && paused.length > 0) {
    const ids = paused.map((p) => p.id);
    await ctx.db.update(fanSyncStates).set({ status: "active", suspectedAt: null, lastError: null, updatedAt: now }).where(inArray(fanSyncStates.playUserId, ids));
    restored = ids.length;
  }
  if (input.action === "delete") {
    for (const fan of paused) {
      await ctx.db.transaction(async (tx) => {
        await tx.update(fanRevocations).set({ outcome: "deleted" }).where(eq(fanRevocations.playUserId, fan.id));
        const { erased } = await erasePlayUser({ ctx: { ...ctx, db: tx }, input: { spotifyUserId: fan.spotifyUserId } });
        if (erased) deleted += 1;
      });
    }
  }
  ctx.logger.warn({ cleared: cleared.length, deleted, restored, action: input.action }, "fan deletions resumed by an operator");
  return { cleared: cleared.length, deleted, restored };
}
