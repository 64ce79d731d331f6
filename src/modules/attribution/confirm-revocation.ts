import { and, eq, gt, isNull, max, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { fanRevocations, fanSyncStates, syncAlerts } from "../../db/schema/attribution";
import { playUsers } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { isProviderError } from "../../lib/provider-error";
import type { FanTokenStore } from "../../providers/spotify/port";
import { createFanTokenStore, erasePlayUser } from "../play/index";

export type ConfirmRevocationOutcome =
  | "gone" // the Play user no longer exists
  | "not_suspected" // nothing to confirm
  | "recovered" // the refresh worked: the fan is polled again
  | "deleted" // second invalid_grant: tokens and Play user erased
  | "paused" // second invalid_grant during a revocation burst: kept, alert raised
  | "retry_later"; // 5xx, timeout or another answer: nothing deleted, asked again later

/** Alert kind raised when revocations come in a burst. */
export const REVOCATION_BURST = "revocation_burst";

/**
 * Job `attribution.confirm-revocation` `{ playUserId }`, queued by a sync that met a first
 * `invalid_grant` (P16). Tries one refresh, under the fan's row lock on PostgreSQL:
 * - success → the fan is `active` again (the new tokens are saved; the old refresh token is
 *   kept when Spotify sends none);
 * - `invalid_grant` again → definitive: unless a burst is under way, erases the fan with
 *   Play's erase hook (tokens, Play user, pre-saves, events); during a burst — this
 *   confirmation would make `revocationBurstThreshold` within `revocationBurstWindowMs`
 *   since the last cleared alert, or an alert is open — the fan is `deletion_paused`, an
 *   alert row is raised (once) and logged at error level;
 * - anything else (5xx, timeout, odd answer) → nothing deleted; asked again after the delay.
 * Burst accounting is serialised across nodes by a transaction-scoped advisory lock.
 */
export async function confirmRevocation({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ outcome: ConfirmRevocationOutcome }> {
  const now = ctx.clock.now();
  const { playUserId } = input;
  const [fan] = await ctx.db
    .select({ spotifyUserId: playUsers.spotifyUserId, status: fanSyncStates.status })
    .from(playUsers)
    .leftJoin(fanSyncStates, eq(fanSyncStates.playUserId, playUsers.id))
    .where(eq(playUsers.id, playUserId));
  if (!fan) return { outcome: "gone" };
  if (fan.status !== "revocation_suspected") return { outcome: "not_suspected" };

  const store = createFanTokenStore(ctx, playUserId);
  try {
    const refresh = async (locked: Pick<FanTokenStore, "load" | "save">) => {
      const tokens = await locked.load();
      const result = await ctx.music.accounts.refresh(tokens.refreshToken);
      await locked.save({
        accessToken: result.accessToken,
        refreshToken: result.refreshToken ?? tokens.refreshToken,
        accessTokenExpiresAt: result.accessTokenExpiresAt,
        scope: result.scope || tokens.scope,
      });
    };
    await (store.exclusive ? store.exclusive(refresh) : refresh(store));
  } catch (err) {
    if (!isProviderError(err)) throw err;
    if (err.kind !== "invalid_grant") {
      await ctx.jobs.send(
        "attribution.confirm-revocation",
        { playUserId },
        { singletonKey: playUserId, startAfter: new Date(now.getTime() + ctx.config.fanSync.revocationConfirmDelayMs) },
      );
      ctx.logger.warn({ playUserId, kind: err.kind }, "revocation not confirmed (no definitive answer); asking again later");
      return { outcome: "retry_later" };
    }
    return ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('backbeat.fan_revocations'))`);
      const [open] = await tx.select({ id: syncAlerts.id }).from(syncAlerts).where(and(eq(syncAlerts.kind, REVOCATION_BURST), isNull(syncAlerts.clearedAt))).limit(1);
      const [cleared] = await tx.select({ at: max(syncAlerts.clearedAt) }).from(syncAlerts).where(eq(syncAlerts.kind, REVOCATION_BURST));
      const since = new Date(Math.max(now.getTime() - ctx.config.fanSync.revocationBurstWindowMs, cleared?.at?.getTime() ?? 0));
      const [recent] = await tx.select({ n: sql<number>`count(*)::int` }).from(fanRevocations).where(gt(fanRevocations.confirmedAt, since));
      const count = Number(recent?.n ?? 0) + 1;
      const burst = open !== undefined || count >= ctx.config.fanSync.revocationBurstThreshold;
      await tx.insert(fanRevocations).values({ id: newId("revocation", now), playUserId, confirmedAt: now, outcome: burst ? "paused" : "deleted" });
      if (burst) {
        await tx.update(fanSyncStates).set({ status: "deletion_paused", updatedAt: now }).where(eq(fanSyncStates.playUserId, playUserId));
        if (!open) {
          const message = `${count} Spotify revocations confirmed since ${since.toISOString()}: deleting fans on revocation is paused until an operator runs attribution.resume-deletions`;
          await tx.insert(syncAlerts).values({ id: newId("syncAlert", now), kind: REVOCATION_BURST, message, detail: { count, since: since.toISOString() }, raisedAt: now });
          ctx.logger.error({ count, since: since.toISOString(), threshold: ctx.config.fanSync.revocationBurstThreshold }, "revocation burst: fan deletions paused");
        }
        return { outcome: "paused" as const };
      }
      await erasePlayUser({ ctx: { ...ctx, db: tx }, input: { spotifyUserId: fan.spotifyUserId } });
      ctx.logger.info({ playUserId }, "revocation confirmed: fan tokens and Play user deleted");
      return { outcome: "deleted" as const };
    });
  }
  await ctx.db.update(fanSyncStates).set({ status: "active", suspectedAt: null, lastError: null, updatedAt: now }).where(eq(fanSyncStates.playUserId, playUserId));
  ctx.logger.info({ playUserId }, "revocation not confirmed: refresh worked, fan polled again");
  return { outcome: "recovered" };
}
