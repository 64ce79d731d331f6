import { Hono } from "hono";
import { AUTH_BASE_PATH, type BackbeatAuth } from "./create-auth";

/** `/auth/*`: Better Auth's endpoints (sign-up, sign-in, sign-out, get-session, …). */
export function accountsRoutes(deps: { auth: BackbeatAuth }): Hono {
  const app = new Hono();
  app.on(["GET", "POST"], `${AUTH_BASE_PATH}/*`, (c) => deps.auth.handler(c.req.raw));
  return app;
}
