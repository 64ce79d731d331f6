import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { eq, sql } from "drizzle-orm";
import { API_BASE_PATH, createApiApp } from "./api/create-api-app";
import { jobRoutes } from "./jobs/routes";
import { AppError } from "./lib/errors";
import { accountsRoutes } from "./modules/accounts/index";
import { consentRoutes, createClickIdRejectionCounter } from "./modules/conversions/index";
import { createCacheReset, playRoutes, readPlayCookie } from "./modules/play/index";
import { playUsers } from "./db/schema/play";
import { conversionDestinations } from "./db/schema/conversion-delivery";
import { privacyRoutes } from "./modules/privacy/index";
import { EMULATOR_BASE_PATH, GOOGLE_DATA_MANAGER_EMULATOR_PATH, GOOGLE_EMULATOR_PATH, META_CAPI_EMULATOR_PATH, META_EMULATOR_PATH, REDDIT_EMULATOR_PATH, RESEND_EMULATOR_PATH, type Runtime } from "./runtime";
import { renderMessagePage } from "./web/pages/render-message-page";
import { serveDashboard } from "./web/serve-dashboard";
import { spotifyCallbackRoute } from "./web/spotify-callback-route";

/** First path segments that never reach the Play routes (PRODUCT.md §5). */
const RESERVED = new Set([
  "api", "app", "auth", "oauth", "internal", "legal", "data-deletion", "static", "healthz", "readyz", "_emulator", "webhooks",
  // Files browsers and crawlers ask for: answered here, never looked up as artist slugs.
  "favicon.ico", "favicon.svg", "robots.txt", "sitemap.xml", ".well-known",
]);

/** Backbeat's icon: a green disc with a beat mark. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#1ed760"/><path d="M7 17h4l2-6 4 12 3-9 2 3h3" fill="none" stroke="#000" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/**
 * The HTTP app: health, emulators (outside production), the OAuth callback, then the
 * public Play routes, which own every other first path segment.
 * Errors: `AppError` → its status; JSON envelope `{ error: { code, message, requestId } }`
 * for API-style paths, a friendly HTML page for public pages; anything else → 500
 * without internals (P02).
 */
export function createApp(runtime: Runtime): Hono {
  const { config, logger } = runtime;
  const app = new Hono();
  app.use(requestId({ generator: () => crypto.randomUUID() }));
  // nosniff, frame protection, COOP/CORP, HSTS on https. The referrer policy keeps the
  // Origin header on our own form posts (no-referrer would send `Origin: null`, which the
  // same-origin checks of Save and data deletion refuse) and never leaks paths cross-site.
  app.use(secureHeaders({ referrerPolicy: "strict-origin-when-cross-origin", xFrameOptions: "DENY" }));
  // Personal answers (sign-in results, deletions, anything posted) are never cached.
  app.use(async (c, next) => {
    await next();
    if (c.req.method === "POST" || c.req.path.startsWith("/oauth/") || c.req.path.startsWith("/auth/") || c.req.path.startsWith("/data-deletion")) {
      c.header("Cache-Control", "no-store");
    }
  });

  app.onError((err, c) => {
    const id = c.get("requestId");
    const known = err instanceof AppError ? err : null;
    if (!known) logger.error({ err, requestId: id, path: c.req.path }, "unhandled error");
    const status = (known?.status ?? 500) as 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502 | 503;
    const message = known?.message ?? "Something went wrong on our side.";
    if (c.req.path.startsWith("/api/") || c.req.path.startsWith("/internal/") || (c.req.header("accept") ?? "").includes("application/json")) {
      return c.json({ error: { code: known?.code ?? "INTERNAL", message, requestId: id } }, status);
    }
    return c.html(renderMessagePage({ publicUrl: config.publicUrl, status, title: status === 404 ? "Page not found" : "Something went wrong", message: `${message} (request ${id})` }), status);
  });

  app.get("/favicon.svg", (c) => {
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(FAVICON_SVG, 200, { "Content-Type": "image/svg+xml" });
  });
  // The first URL printed at startup is the site root: it opens the dashboard.
  app.get("/", (c) => c.redirect("/app", 302));
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await runtime.database.db.execute(sql`select 1`);
      return c.json({ status: "ready", database: runtime.database.kind, spotify: config.spotify.mode });
    } catch (err) {
      logger.warn({ err }, "readiness check failed");
      return c.json({ status: "unavailable" }, 503);
    }
  });

  if (config.emulatorsMounted && runtime.spotifyEmulator) app.route(EMULATOR_BASE_PATH, runtime.spotifyEmulator.app);
  if (config.emulatorsMounted && runtime.resendEmulator) {
    const resend = runtime.resendEmulator.app;
    // The inbox lives at `/_emulator/resend/` (with the slash) as well.
    app.get(`${RESEND_EMULATOR_PATH}/`, (c) => resend.fetch(new Request(new URL("/", c.req.url), c.req.raw)));
    app.route(RESEND_EMULATOR_PATH, resend);
  }
  // Conversions emulators first: their paths sit below the sign-in emulators' paths.
  if (config.emulatorsMounted && runtime.conversionEmulators) {
    app.route(META_CAPI_EMULATOR_PATH, runtime.conversionEmulators.meta.app);
    app.route(GOOGLE_DATA_MANAGER_EMULATOR_PATH, runtime.conversionEmulators.google.app);
    app.route(REDDIT_EMULATOR_PATH, runtime.conversionEmulators.reddit.app);
  }
  if (config.emulatorsMounted && runtime.googleEmulator) app.route(GOOGLE_EMULATOR_PATH, runtime.googleEmulator.app);
  if (config.emulatorsMounted && runtime.metaEmulator) app.route(META_EMULATOR_PATH, runtime.metaEmulator.app);

  app.route(
    "/",
    jobRoutes({
      jobSecret: config.jobSecret,
      jobs: runtime.jobs,
      checks: {
        // A delivery job for an unknown destination would run for nothing: refused now.
        "conversions.deliver": async (data) => {
          const ctx = runtime.ctxFor({ kind: "system" });
          const [found] = await ctx.db.select({ id: conversionDestinations.id }).from(conversionDestinations).where(eq(conversionDestinations.id, String(data.destinationId)));
          if (!found) throw new AppError("NOT_FOUND", `body.destinationId: no conversion destination ${String(data.destinationId)}`, { field: "body.destinationId" });
        },
      },
    }),
  );

  // Invalid click ids dropped on this node (a log metric; conversions README).
  const rejections = createClickIdRejectionCounter({ logger, now: () => runtime.clock.now().getTime() });
  
  const deps = { ctxFor: runtime.ctxFor, config, rejections };
  // A write through the API (publish, edit, hub settings) shows on the public pages of this
  // node at once instead of after their cache's 5 s TTL.
  const cacheReset = createCacheReset();
  app.use(`${API_BASE_PATH}/*`, async (c, next) => {
    await next();
    if (c.req.method !== "GET" && c.res.status < 300) cacheReset.reset();
  });
  app.route("/", accountsRoutes({ auth: runtime.auth, config }));
  app.route(API_BASE_PATH, createApiApp(runtime));
  app.route("/", spotifyCallbackRoute(deps));
  app.route(
    "/",
    consentRoutes({
      ...deps,
      // The signed Play cookie (P06) names the fan, so the choice is linked to them at once.
      resolvePlayUserId: async (c, ctx) => {
        const spotifyUserId = await readPlayCookie(c, config.cookieSecret);
        if (!spotifyUserId) return null;
        const user = await ctx.db.query.playUsers.findFirst({ where: eq(playUsers.spotifyUserId, spotifyUserId), columns: { id: true } });
        return user?.id ?? null;
      },
    }),
  );
  app.route("/", privacyRoutes(deps));
  // The React dashboard (built assets + SPA fallback); see src/web/serve-dashboard.ts.
  app.route("/app", serveDashboard({ publicUrl: config.publicUrl }));

  // Reserved segments that no route above claimed are plain 404s, never artist slugs.
  app.all("/:first/*", async (c, next) => (RESERVED.has(c.req.param("first")) ? c.notFound() : next()));
  app.all("/:first", async (c, next) => (RESERVED.has(c.req.param("first")) ? c.notFound() : next()));
  app.route("/", playRoutes({ ...deps, cacheReset }));

  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? c.json({ error: { code: "NOT_FOUND", message: `${c.req.path} not found`, requestId: c.get("requestId") } }, 404)
      : c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 404, title: "Page not found", message: "There's nothing at this address." }), 404),
  );
  return app;
}
