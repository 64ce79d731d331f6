import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import { AppError, badRequest } from "../lib/errors";
import { JOB_NAMES, type JobName, type JobQueue } from "./job-queue";

/** Payloads each job accepts from the trigger endpoint (scheduled jobs take none). */
const JOB_INPUT: Record<JobName, z.ZodType<Record<string, unknown>>> = {
  "play.import-catalog": z.object({ artistId: z.string().regex(/^art_[0-9a-z]{26}$/) }).strict(),
  "play.deliver-presaves": z.object({}).strict(),
  "play.purge-oauth-states": z.object({}).strict(),
  "attribution.plan-fan-sync": z.object({}).strict(),
  "attribution.sync-fan": z.object({ playUserId: z.string().regex(/^fan_[0-9a-z]{26}$/) }).strict(),
  "attribution.confirm-revocation": z.object({ playUserId: z.string().regex(/^fan_[0-9a-z]{26}$/) }).strict(),
  "attribution.resume-deletions": z.object({ action: z.enum(["delete", "restore"]) }).strict(),
  "attribution.flag-fans": z.object({}).strict(),
  "attribution.update-rollups": z.object({}).strict(),
  "conversions.plan": z.object({}).strict(),
  "conversions.deliver": z.object({ destinationId: z.string().regex(/^cds_[0-9a-z]{26}$/) }).strict(),
};

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `POST /internal/jobs/<name>`: enqueue a job from a scheduler outside Backbeat (P04).
 * Requires `Authorization: Bearer <JOB_SECRET>`, compared in constant time (digests of
 * equal length). An unset or short secret disables the endpoint (fail closed); a secret
 * in the query string is refused, never read.
 * Answers 202 `{ jobId }`; 401 wrong/missing bearer; 403 disabled; 400 bad name or body;
 * 404 when the payload names something that does not exist (`checks`, e.g. an unknown
 * conversion destination), with the field in the error.
 */
export function jobRoutes(deps: {
  jobSecret: string | undefined;
  jobs: JobQueue;
  /**
   * Checks a job's payload against stored data before it is queued (e.g. the destination of
   * `conversions.deliver` exists); throws an AppError naming the field. Nothing is queued then.
   */
  checks?: Partial<Record<JobName, (data: Record<string, unknown>) => Promise<void>>>;
}): Hono {
  const app = new Hono();
  app.post("/internal/jobs/:name", async (c) => {
    if (!deps.jobSecret) throw new AppError("FORBIDDEN", "job endpoints are disabled: JOB_SECRET is unset or shorter than 32 bytes");
    // No query string at all: a secret there would end up in proxy and access logs. The
    // parameters are never echoed back.
    if (new URL(c.req.url).search !== "") throw badRequest("query", "job triggers take no query string; send the secret in the Authorization header");
    const header = c.req.header("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!timingSafeEqual(digest(given), digest(deps.jobSecret)) || given.length === 0) {
      throw new AppError("UNAUTHORIZED", "missing or wrong bearer secret");
    }
    const name = c.req.param("name");
    if (!(JOB_NAMES as readonly string[]).includes(name)) throw badRequest("name", `unknown job "${name}"`);
    const text = await c.req.text();
    let body: unknown = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        throw badRequest("body", "is not JSON");
      }
    }
    const parsed = JOB_INPUT[name as JobName].safeParse(body);
    if (!parsed.success) {
      // `body` for the payload itself, `body.<key>` for a field (also an unknown one).
      const issue = parsed.error.issues[0]!;
      const path = [...issue.path.map(String), ...(issue.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [])];
      throw badRequest(["body", ...path].join("."), issue.message);
    }
    await deps.checks?.[name as JobName]?.(parsed.data);
    // Per-fan jobs share the planner's key (the Play user id), so a triggered sync and a
    // planned one never run at once.
    const singletonKey = typeof parsed.data.playUserId === "string" ? parsed.data.playUserId : `${name}:${JSON.stringify(parsed.data)}`;
    const jobId = await deps.jobs.send(name as JobName, parsed.data, { singletonKey });
    return c.json({ jobId }, 202);
  });
  return app;
}
