import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { JobName } from "../../src/jobs/job-queue";
import { JOB_HANDLERS } from "../../src/jobs/register-jobs";
import type { TestApp } from "./create-test-runtime";

/**
 * POST /internal/jobs/<name> with the job secret (P04), optionally with a JSON body. pg-boss
 * stamps a job queued without `startAfter` with the database's wall clock; scenarios run on
 * the fake clock, so the triggered job is made due at the fake now.
 */
export async function triggerJob(app: TestApp, secret: string, name: JobName, body?: Record<string, string>): Promise<void> {
  const response = await app.app.request(`${app.config.publicUrl}/internal/jobs/${name}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.status).toBe(202);
  const { jobId } = (await response.json()) as { jobId: string };
  await app.runtime.database.db.execute(sql`update pgboss.job set start_after = ${app.clock.now().toISOString()}::timestamptz where name = ${name} and id = ${jobId}`);
}

/**
 * Works the queued jobs of `name` that are due at the fake clock's now, as a worker would:
 * each job is taken (active), handled by its registered handler, and completed. Jobs a
 * handler queues meanwhile (due now) are worked in the same call. Returns the handlers' results.
 */
export async function runDueJobs(app: TestApp, name: JobName): Promise<unknown[]> {
  const db = app.runtime.database.db;
  const results: unknown[] = [];
  for (;;) {
    const due = await db.execute(sql`
      select id, data from pgboss.job where name = ${name} and state in ('created', 'retry') and start_after <= ${app.clock.now().toISOString()}::timestamptz
       order by start_after, created_on limit 1`);
    const job = due.rows[0] as { id: string; data: Record<string, unknown> } | undefined;
    if (!job) return results;
    await db.execute(sql`update pgboss.job set state = 'active', started_on = now() where name = ${name} and id = ${job.id}`);
    results.push(await JOB_HANDLERS[name](app.runtime.ctxFor({ kind: "system" }), job.data ?? {}));
    await db.execute(sql`update pgboss.job set state = 'completed', completed_on = now() where name = ${name} and id = ${job.id}`);
  }
}
