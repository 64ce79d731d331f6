import type { Actor, Ctx } from "../context";

/** Variables the `/api/v1` middlewares set on the Hono context. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    /** Who is calling: a signed-in user (cookie) or an API key (bearer). */
    actor: Extract<Actor, { kind: "user" } | { kind: "api_key" }>;
    /** The verb context for that actor. */
    ctx: Ctx;
  };
}
