import type PgBoss from "pg-boss";

/** Job names are `{module}.{verb}`. */
export type JobName =
  | "play.import-catalog"
  | "play.deliver-presaves"
  | "play.purge-oauth-states"
  | "attribution.plan-fan-sync"
  | "attribution.sync-fan"
  | "attribution.confirm-revocation"
  | "attribution.resume-deletions"
  | "attribution.flag-fans"
  | "attribution.update-rollups"
  | "conversions.plan"
  | "conversions.deliver";

export const JOB_NAMES: readonly JobName[] = [
  "play.import-catalog",
  "play.deliver-presaves",
  "play.purge-oauth-states",
  "attribution.plan-fan-sync",
  "attribution.sync-fan",
  "attribution.confirm-revocation",
  "attribution.resume-deletions",
  "attribution.flag-fans",
  "attribution.update-rollups",
  "conversions.plan",
  "conversions.deliver",
];

export interface SendOptions {
  /** Same key while a job is queued or active → one job (pg-boss singleton). */
  singletonKey?: string;
  startAfter?: Date;
}

/** The narrow face of the queue that verbs see: they enqueue, workers handle. */
export interface JobQueue {
  send(name: JobName, data: Record<string, unknown>, options?: SendOptions): Promise<string | null>;
  /** Many jobs of one name in one statement; a job whose singleton key is taken is skipped. */
  sendBatch(name: JobName, jobs: Array<{ data: Record<string, unknown>; options?: SendOptions }>): Promise<void>;
}

export function createJobQueue(boss: PgBoss): JobQueue {
  return {
    send: (name, data, options = {}) =>
      boss.send(name, data, {
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
        retryLimit: 5,
        retryBackoff: true,
      }),
    sendBatch: async (name, jobs) => {
      if (jobs.length === 0) return;
      await boss.insert(
        jobs.map(({ data, options = {} }) => ({
          name,
          data,
          ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
          ...(options.startAfter ? { startAfter: options.startAfter } : {}),
          retryLimit: 5,
          retryBackoff: true,
        })),
      );
    },
  };
}
