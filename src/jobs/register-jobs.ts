import type PgBoss from "pg-boss";
import type { Ctx } from "../context";
import { confirmRevocation, flagFans, planFanSync, resumeDeletions, syncFan, updateRollups } from "../modules/attribution/index";
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
  // A million fans an hour is ~280 syncs a second across the workers.
  "attribution.sync-fan": 20,
};

/** Registers handlers and cron schedules on a worker node (queues exist already). */
export async function registerJobs(boss: PgBoss, options: { ctxFor: () => Ctx }): Promise<void> {
  for (const name of JOB_NAMES) {
    const batchSize = JOB_BATCH_SIZES[name] ?? 1;
    await boss.work<Record<string, unknown>>(name, { pollingIntervalSeconds: 2, batchSize }, async (jobs) => {
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
