import type { MiddlewareHandler } from "hono";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Database } from "../db/client";
import { AppError } from "../lib/errors";
import type { ApiEnv } from "./api-env";

/**
 * The `/api/v1` limiter: `perMinute` requests per user or API key in a fixed 60 s window.
 * PGlite is one process by design, so it counts in memory; on PostgreSQL the counters
 * live in `api_rate_limits` (migration-managed) so every node shares them.
 * rate-limiter-flexible (https://github.com/animir/node-rate-limiter-flexible) does the
 * atomic counting; we give it a `query({ text, values })` view of our database.
 */
export function createApiRateLimiter(database: Database, perMinute: number): RateLimiterAbstract {
  const options = { points: perMinute, duration: 60, keyPrefix: "api" };
  if (database.kind === "pglite") return new RateLimiterMemory(options);
  const client = {
    query: async (q: { text: string; values?: unknown[] }) => {
      const { rows } = await database.sql.executeSql(q.text, q.values ?? []);
      return { rows, rowCount: rows.length };
    },
  };
  return new RateLimiterPostgres({ ...options, storeClient: client, storeType: "pool", tableName: "api_rate_limits", tableCreated: true, clearExpiredByTimeout: false });
}

/**
 * Consumes one point for the request's actor.
 * @throws AppError RATE_LIMITED with `Retry-After` (whole seconds) set on the response.
 */
export function limitRate(limiter: RateLimiterAbstract): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const actor = c.get("actor");
    const key = actor.kind === "user" ? `user:${actor.userId}` : `key:${actor.apiKeyId}`;
    try {
      const res = await limiter.consume(key);
      c.header("RateLimit-Remaining", String(res.remainingPoints));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      c.header("Retry-After", String(seconds));
      throw new AppError("RATE_LIMITED", `too many requests; retry in ${seconds} s`);
    }
    return next();
  };
}
