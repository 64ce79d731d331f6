import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "../../config";
import { findUnstorableText } from "../../lib/find-unstorable-text";
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

/** Largest request body `/auth/*` reads (bytes). */
const AUTH_MAX_BODY_BYTES = 64 * 1024;

/**
 * Better Auth puts the session token in its JSON answers (`token` of sign-up/sign-in,
 * `session.token` of get-session, each entry of list-sessions). It is the credential the
 * HttpOnly cookie protects, so it never leaves the server in a body (P02): a script on the
 * page (XSS) could otherwise read it and keep the session after the page is gone. Nothing
 * of ours reads it; sign-out everywhere is `revoke-sessions`, which needs no token.
 */
async function withoutSessionTokens(response: Response): Promise<Response> {
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return response;
  const text = await response.text();
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!value || typeof value !== "object") return value;
    const { token: _token, ...rest } = value as Record<string, unknown>;
    if (rest.session && typeof rest.session === "object") rest.session = strip(rest.session);
    return rest;
  };
  let body: string;
  try {
    body = JSON.stringify(strip(JSON.parse(text)));
  } catch {
    body = text;
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * `GET /auth/providers` (ours: which sign-in methods the sign-in page offers), then
 * `/auth/*`: Better Auth's endpoints (sign-up, sign-in, magic link, OAuth, sign-out,
 * revoke-sessions, get-session, …).
 */
export function accountsRoutes(deps: { auth: BackbeatAuth; config: Config }): Hono {
  const app = new Hono();
  const forward = async (c: Context, request: Request) => {
    const headers = new Headers(request.headers);
    headers.delete(CLIENT_IP_HEADER);
    const ip = clientIp(c, deps.config.trustProxy);
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    const response = await withoutSessionTokens(await deps.auth.handler(new Request(request, { headers })));
    // Better Auth says `X-Retry-After`; clients and the contract read the standard header.
    const retry = response.status === 429 ? response.headers.get("x-retry-after") : null;
    if (retry) {
      const out = new Response(response.body, response);
      out.headers.set("Retry-After", retry);
      return out;
    }
    return response;
  };
  // Sign-in forms are tiny; without a limit Better Auth reads any body into memory, for
  // anyone (no session needed), 100 times a minute per IP.
  app.use(`${AUTH_BASE_PATH}/*`, bodyLimit({ maxSize: AUTH_MAX_BODY_BYTES, onError: (c) => c.json({ code: "PAYLOAD_TOO_LARGE", message: "request body is larger than 64 KB" }, 413) }));
  // Text PostgreSQL cannot store (NUL, lone surrogate) would end as a 500 inside Better Auth.
  app.post(`${AUTH_BASE_PATH}/*`, async (c, next) => {
    if (!/json/i.test(c.req.header("content-type") ?? "")) return next();
    // A clone: Better Auth reads the original request's body itself.
    const field = findUnstorableText(await c.req.raw.clone().text());
    if (field === null) return next();
    return c.json({ code: "VALIDATION_ERROR", message: `${field || "body"}: must not contain a NUL character or a lone surrogate` }, 400);
  });
  app.get(`${AUTH_BASE_PATH}/providers`, (c) => c.json(listSignInMethods({ config: deps.config })));
  // The contract's `POST /auth/sign-in/oauth2 { providerId, callbackURL }`: Better Auth 1.7
  // serves genericOAuth providers through `POST /auth/sign-in/social { provider }`.
  app.post(`${AUTH_BASE_PATH}/sign-in/oauth2`, async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body.providerId !== "string") {
      return c.json({ code: "VALIDATION_ERROR", message: "providerId: required (google or meta)" }, 400);
    }
    const { providerId, ...rest } = body;
    const url = new URL(c.req.url);
    url.pathname = `${AUTH_BASE_PATH}/sign-in/social`;
    const headers = new Headers(c.req.raw.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    return forward(c, new Request(url, { method: "POST", headers, body: JSON.stringify({ ...rest, provider: providerId }) }));
  });
  app.on(["GET", "POST"], `${AUTH_BASE_PATH}/*`, (c) => forward(c, c.req.raw));
  return app;
}
