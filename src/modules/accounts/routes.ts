import type { Context } from "hono";
import { Hono } from "hono";
import type { Config } from "../../config";
import { AUTH_BASE_PATH, CLIENT_IP_HEADER, type BackbeatAuth } from "./create-auth";
import { listSignInMethods } from "./list-sign-in-methods";

/**
 * The client IP for Better Auth's rate limiter. A real request has a socket: its address,
 * or with TRUST_PROXY the last `X-Forwarded-For` entry (the one our proxy added). A request
 * without a socket was dispatched in-process (tests): it may name its IP itself.
 */
function clientIp(c: Context, trustProxy: boolean): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const socket = env?.incoming?.socket;
  if (!socket) return c.req.header(CLIENT_IP_HEADER) ?? null;
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return socket.remoteAddress ?? null;
}

/**
 * `GET /auth/providers` (ours: which sign-in methods the sign-in page offers), then
 * `/auth/*`: Better Auth's endpoints (sign-up, sign-in, magic link, OAuth, sign-out,
 * revoke-sessions, get-session, …).
 */
export function accountsRoutes(deps: { auth: BackbeatAuth; config: Config }): Hono {
  const app = new Hono();
  app.get(`${AUTH_BASE_PATH}/providers`, (c) => c.json(listSignInMethods({ config: deps.config })));
  app.on(["GET", "POST"], `${AUTH_BASE_PATH}/*`, (c) => {
    const headers = new Headers(c.req.raw.headers);
    headers.delete(CLIENT_IP_HEADER);
    const ip = clientIp(c, deps.config.trustProxy);
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    return deps.auth.handler(new Request(c.req.raw, { headers }));
  });
  return app;
}
