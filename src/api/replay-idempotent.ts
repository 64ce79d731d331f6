import { createHash } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { idempotencyKeys } from "../db/schema/accounts";
import { AppError, badRequest } from "../lib/errors";
import type { ApiEnv } from "./api-env";

/** Keys are remembered this long (ms). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEPT_HEADERS = ["content-type", "backbeat-result", "location"];

/**
 * `Idempotency-Key` on creates, kept in Postgres (`idempotency_keys`, per actor):
 * - first use: the request runs; a 2xx answer is stored (status, body, a few headers);
 *   anything else frees the key so the client can retry;
 * - same key + same method/path/body within 24 h: the stored answer, with
 *   `Idempotent-Replayed: true`, and nothing runs again;
 * - same key + a different request: 409 CONFLICT; while the first is still running: 409.
 * The insert … on conflict do nothing on (actor, key) makes concurrent first uses race-safe.
 * Expired keys (any actor) are deleted 100 at a time on each keyed create.
 *
 * `oneTimeField` names a top-level field of the answer that must be shown once and never
 * stored (an API key's `secret`, P02): it is cut from the stored body, and a replay answers
 * 409 CONFLICT naming the created resource (`<field>.id`) instead of showing it again.
 */
export function replayIdempotent(options: { oneTimeField?: { secret: string; resource: string } } = {}): MiddlewareHandler<ApiEnv> {
  const oneTime = options.oneTimeField;
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw badRequest("Idempotency-Key", "must be 1–255 visible ASCII characters");
    const ctx = c.get("ctx");
    const actor = c.get("actor");
    const scope = actor.kind === "user" ? `user:${actor.userId}` : `api_key:${actor.apiKeyId}`;
    const body = await c.req.text();
    const requestHash = createHash("sha256").update(`${c.req.method}\n${c.req.path}\n${body}`).digest("hex");
    const now = ctx.clock.now();
    const where = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
    // Expired keys go here, a bounded batch per create, so the table never needs a job.
    await ctx.db.delete(idempotencyKeys).where(and(where, lte(idempotencyKeys.expiresAt, now)));
    await ctx.db.execute(sql`delete from idempotency_keys where (scope, key) in (select scope, key from idempotency_keys where expires_at <= ${now} limit 100)`);
    const claimed = await ctx.db
      .insert(idempotencyKeys)
      .values({ scope, key, requestHash, createdAt: now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const stored = await ctx.db.query.idempotencyKeys.findFirst({ where });
      if (!stored) throw new AppError("CONFLICT", "this Idempotency-Key is being reused concurrently; retry");
      if (stored.requestHash !== requestHash) throw new AppError("CONFLICT", "this Idempotency-Key was already used with a different request");
      if (stored.responseStatus === null) throw new AppError("CONFLICT", "a request with this Idempotency-Key is still in progress");
      if (oneTime) {
        const created = (JSON.parse(stored.responseBody ?? "{}") as Record<string, { id?: unknown } | undefined>)[oneTime.resource]?.id;
        throw new AppError("CONFLICT", `this Idempotency-Key already created ${String(created)}; its ${oneTime.secret} was shown once and is not kept: revoke it and create another if it was lost`);
      }
      return c.newResponse(stored.responseBody, Number(stored.responseStatus) as 200, { ...(stored.responseHeaders ?? {}), "Idempotent-Replayed": "true" });
    }
    await next();
    const res = c.res;
    if (res.status >= 200 && res.status < 300) {
      const headers = Object.fromEntries(KEPT_HEADERS.flatMap((h) => (res.headers.get(h) ? [[h, res.headers.get(h)!]] : [])));
      let responseBody = await res.clone().text();
      if (oneTime) {
        const { [oneTime.secret]: _shownOnce, ...kept } = JSON.parse(responseBody) as Record<string, unknown>;
        responseBody = JSON.stringify(kept);
      }
      await ctx.db.update(idempotencyKeys).set({ responseStatus: String(res.status), responseBody, responseHeaders: headers }).where(where);
    } else {
      await ctx.db.delete(idempotencyKeys).where(where);
    }
  };
}
