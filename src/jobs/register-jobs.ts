import type PgBoss from "pg-boss";
import type { Ctx } from "../context";
import { confirmRevocation, flagFans, planFanSync, resumeDeletions, syncFan, syncFans, updateRollups } from "../modules/attribution/index";
import { deliverConversions, planConversions } from "../modules/conversions/index";
import { deliverPresaves } from "../modules/play/deliver-presaves";
import { importArtistCatalog } from "../modules/play/import-artist-catalog";
import { purgeOauthStates } from "../modules/play/purge-oauth-states";
import { JOB_NAMES, type JobName } from "./job-queue";

type Handler = (ctx: Ctx, data: Record<string, unknown>) => Promise<unknown>;

/** Every job name has a handler: a missing one is a compile error. Handlers are thin. */
export const JOB_HANDLERS: Record<JobName, Handler> = {
  "play.import-catalog": (ctx, data) => importArtistCatalog({ ctx, input: { artistId: String(data.artistId) } }),
  "play.deliver-presaves": (ctx) => deliverPresaves({ ctx, input: {} }),
  "play.purge-oauth-states": (ctx) => purgeOauthStates({ ctx, input: {} }),
  "attribution.plan-fan-sync": (ctx) => planFanSync({ ctx, input: {} }),
  "attribution.sync-fan": (ctx, data) => syncFan({ ctx, input: { playUserId: String(data.playUserId) } }),
  "attribution.confirm-revocation": (ctx, data) => confirmRevocation({ ctx, input: { playUserId: String(data.playUserId) } }),
  "attribution.resume-deletions": (ctx, data) => resumeDeletions({ ctx, input: { action: data.action === "delete" ? "delete" : "restore" } }),
  "attribution.flag-fans": (ctx) => flagFans({ ctx, input: {} }),
  "attribution.update-rollups": (ctx) => updateRollups({ ctx, input: {} }),
  "conversions.plan": (ctx) => planConversions({ ctx, input: {} }),
  "conversions.deliver": (ctx, data) => deliverConversions({ ctx, input: { destinationId: String(data.destinationId) } }),
};

/**
 * Cron schedules (UTC). Pre-saves are tried every 15 minutes on and after release day.
 * Fan sync is planned hourly: Spotify keeps only the last 50 plays, about 2.5 hours of
 * continuous listening, so an hourly read misses plays only for heavy listeners (gaps are
 * recorded).
 */
export const JOB_SCHEDULES: Partial<Record<JobName, string>> = {
  "play.deliver-presaves": "*/15 * * * *",
  "play.purge-oauth-states": "17 * * * *",
  // Plans the hour's fan syncs; each fan's job starts at its own offset within the hour.
  "attribution.plan-fan-sync": "0 * * * *",
  // Fan-level fraud flags over the lookback (default 7 days), after the hour's syncs began.
  "attribution.flag-fans": "41 * * * *",
  // Analytics rollups: new events, flags and erasures show in reports within about a minute.
  "attribution.update-rollups": "* * * * *",
  // Enqueues buffered / derived conversions and starts due deliveries (latency ≤ 1 min).
  "conversions.plan": "* * * * *",
};

/** Jobs fetched and run together per worker poll (default 1, one after another). */
export const JOB_BATCH_SIZES: Partial<Record<JobName, number>> = {
  // A million fans an hour is ~280 syncs a second across the workers; a batch of fans
  // shares its database statements (see syncFans), so bigger batches cost less per fan.
  "attribution.sync-fan": 50,
};

/**
 * Handlers that take a whole fetched batch at once and say, per job (same order), whether
 * it failed: failed jobs are failed alone (pg-boss retries them), the others complete.
 */
export const JOB_BATCH_HANDLERS: Partial<Record<JobName, (ctx: Ctx, data: Array<Record<string, unknown>>) => Promise<Array<unknown | null>>>> = {
  "attribution.sync-fan": async (ctx, data) => {
    const ids = data.map((d) => String(d.playUserId));
    const entries = new Map((await syncFans({ ctx, input: { playUserIds: ids } })).map((e) => [e.playUserId, e]));
    return ids.map((id) => {
      const entry = entries.get(id);
      return !entry ? new Error("fan sync: no result") : "error" in entry ? entry.error : null;
    });
  },
};

/** Registers handlers and cron schedules on a worker node (queues exist already). */
export async function registerJobs(boss: PgBoss, options: { ctxFor: () => Ctx }): Promise<void> {
  for (const name of JOB_NAMES) {
    const batchSize = JOB_BATCH_SIZES[name] ?? 1;
    await boss.work<Record<string, unknown>>(name, { pollingIntervalSeconds: 2, batchSize }, async (jobs) => {
      const batchHandler = JOB_BATCH_HANDLERS[name];
      if (batchHandler) {
        const errors = await batchHandler(options.ctxFor(), jobs.map((job) => job.data));
        // Failed jobs leave the `active` state here; pg-boss then completes only the rest.
        for (const [i, error] of errors.entries()) {
          if (error === null) continue;
          const message = error instanceof Error ? error.message : String(error);
          await boss.fail(name, jobs[i]!.id, { message });
        }
        return;
      }
      if (batchSize === 1) {
        for (const job of jobs) await JOB_HANDLERS[name](options.ctxFor(), job.data);
        return;
      }
      // Concurrent within a batch (the work waits on Spotify and the database, not CPU).
      // One failure fails the batch and pg-boss retries it: these jobs are idempotent.
      await Promise.all(jobs.map((job) => JOB_HANDLERS[name](options.ctxFor(), job.data)));
    });
    const cron = JOB_SCHEDULES[name];
    if (cron) await boss.schedule(name, cron, {}, { tz: "UTC" });
  }
}
