import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { AppError, badRequest } from "../lib/errors";
import { isProviderError } from "../lib/provider-error";
import type { Runtime } from "../runtime";
import type { ApiEnv } from "./api-env";
import { analyticsRoutes } from "./analytics-routes";
import { artistRoutes } from "./artist-routes";
import { conversionRoutes } from "./conversion-routes";
import { authenticateRequest } from "./authenticate-request";
import { createApiRateLimiter, limitRate } from "./limit-rate";
import { meRightsRoutes } from "./me-rights-routes";
import { meRoutes } from "./me-routes";
import { organizationRoutes } from "./organization-routes";
import { refuseUnstorableText } from "./refuse-unstorable-text";
import { smartLinkRoutes } from "./smart-link-routes";

export const API_BASE_PATH = "/api/v1";
/** Largest request body `/api/v1` reads (bytes); the biggest real one (16 services) is ~40 KB. */
export const API_MAX_BODY_BYTES = 1024 * 1024;

/** Provider names as the API's messages say them. */
const PROVIDER_NAMES: Record<string, string> = { spotify: "Spotify", resend: "The e-mail service" };

/**
 * A provider failure as the API tells it: unknown Spotify ids are the client's input; any
 * other provider's failure is ours (a mailer outage while inviting is not a bad `spotifyUrl`).
 */
function fromProviderError(err: unknown): AppError | null {
  if (!isProviderError(err)) return null;
  const name = PROVIDER_NAMES[err.provider] ?? "A service Backbeat depends on";
  if (err.provider === "spotify" && (err.kind === "not_found" || err.kind === "bad_request")) return badRequest("spotifyUrl", "Spotify has no such artist, track or album");
  if (err.kind === "rate_limited" || err.kind === "unavailable") return new AppError("UNAVAILABLE", `${name} is not answering right now; try again shortly`);
  return new AppError("PROVIDER_ERROR", `${name} refused the request`);
}

/**
 * The JSON API, mounted at `/api/v1`: authentication (session cookie or API key, CSRF for
 * cookie writes), per-actor rate limit, the routes, and `/openapi.json` generated from the
 * same zod schemas. One error envelope: `{ error: { code, message, requestId, details? } }`.
 */
export function createApiApp(runtime: Runtime): OpenAPIHono<ApiEnv> {
  const { logger } = runtime;
  const api = new OpenAPIHono<ApiEnv>({
    // Schema violations become the same BAD_REQUEST the verbs raise, naming the field.
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0]!;
        throw badRequest(issue.path.join(".") || "body", issue.message);
      }
    },
  });

  api.onError((err, c) => {
    const requestId = c.get("requestId");
    let known = err instanceof AppError ? err : fromProviderError(err);
    if (!known && err instanceof HTTPException && err.status === 400) known = badRequest("body", "is not valid JSON");
    // The route validator refuses a body that is not JSON (415); our closed codes say 400.
    if (!known && err instanceof HTTPException && err.status === 415) known = badRequest("body", "must be JSON (Content-Type: application/json)");
    if (!known) logger.error({ err, requestId, path: c.req.path }, "unhandled API error");
    const status = (known?.status ?? 500) as 400;
    return c.json(
      {
        error: {
          code: known?.code ?? "INTERNAL",
          message: known?.message ?? "Something went wrong on our side.",
          requestId,
          ...(known?.field ? { details: [{ field: known.field, message: known.message.replace(`${known.field}: `, "") }] } : {}),
        },
      },
      status,
    );
  });

  api.openAPIRegistry.registerComponent("securitySchemes", "cookie", { type: "apiKey", in: "cookie", name: "backbeat.session_token", description: "Better Auth session (sign in at /auth/*). Writes must be same-origin (CSRF)." });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "Organization API key `bb_…`: an organization admin creates one in the dashboard (an artist of the organization → the **API keys** tab, next to Team) or with `POST /api/v1/organizations/{organizationId}/api-keys`." });
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Backbeat API", version: "1.0.0", description: "Organizations, artists, smart links, members, invitations, API keys, audit log, analytics, valuation, spend and server-side conversions (destinations, event mapping, delivery log, health). Lists: `?limit=1..100&cursor=` → `{ data, nextCursor }`. Creates accept `Idempotency-Key`. Rate limited per user / key (429 + `Retry-After`)." },
    servers: [{ url: `${runtime.config.publicUrl}${API_BASE_PATH}` }],
    security: [{ cookie: [] }, { bearer: [] }],
  });

  const authenticate = authenticateRequest(runtime);
  const limit = limitRate(createApiRateLimiter(runtime.database, runtime.config.apiRateLimitPerMinute));
  api.use("*", async (c, next) => (c.req.path === `${API_BASE_PATH}/openapi.json` || c.req.path === "/openapi.json" ? next() : authenticate(c, next)));
  api.use("*", async (c, next) => (c.get("actor") ? limit(c, next) : next()));
  api.use("*", bodyLimit({ maxSize: API_MAX_BODY_BYTES, onError: () => { throw badRequest("body", `must be at most ${API_MAX_BODY_BYTES / 1024 / 1024} MB`); } }));
  api.use("*", refuseUnstorableText());
  api.use("*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });

  meRoutes(api);
  meRightsRoutes(api);
  organizationRoutes(api);
  artistRoutes(api);
  smartLinkRoutes(api);
  analyticsRoutes(api);
  conversionRoutes(api);
  api.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `${c.req.path} not found`, requestId: c.get("requestId") } }, 404));
  return api;
}
