import type { MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import { authenticateApiKey, readSessionActor } from "../modules/accounts/index";
import type { Runtime } from "../runtime";
import type { ApiEnv } from "./api-env";
import { checkCsrf } from "./check-csrf";

/**
 * `/api/v1` authentication: `Authorization: Bearer bb_…` is an API key (no cookie is
 * read, no CSRF check: a browser never attaches it on its own); otherwise the Better
 * Auth session cookie, after the CSRF check for non-GET requests (nothing is read or
 * written for a refused cross-site request).
 * @throws AppError UNAUTHORIZED (no or bad credentials), FORBIDDEN (CSRF).
 */
export function authenticateRequest(runtime: Runtime): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const authorization = c.req.header("authorization");
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw new AppError("UNAUTHORIZED", "Authorization must be `Bearer bb_…`");
      const actor = await authenticateApiKey({ ctx: runtime.ctxFor({ kind: "system" }), input: { secret: match[1]! } });
      c.set("actor", actor);
      c.set("ctx", runtime.ctxFor(actor));
      return next();
    }
    checkCsrf({ method: c.req.method, headers: c.req.raw.headers, publicUrl: runtime.config.publicUrl });
    const session = await readSessionActor(runtime, c.req.raw.headers);
    if (!session) throw new AppError("UNAUTHORIZED", "sign in, or send an API key as `Authorization: Bearer bb_…`");
    const actor = { kind: "user" as const, userId: session.userId, sessionId: session.sessionId };
    c.set("actor", actor);
    c.set("ctx", runtime.ctxFor(actor));
    return next();
  };
}
