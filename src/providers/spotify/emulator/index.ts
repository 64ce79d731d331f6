import { Hono } from "hono";
import { createAccountsRoutes } from "./accounts-routes";
import { createControl, type SpotifyEmulatorControl } from "./create-control";
import { createControlRoutes } from "./control-routes";
import { createEmulatorState, REQUEST_LOG_LIMIT, type SpotifyEmulatorOptions } from "./create-emulator-state";
import { createImageRoutes } from "./image-routes";
import { createWebApiRoutes } from "./web-api-routes";

export type { AddReleaseInput } from "./add-release";
export { DEMO_UPCOMING, RELINKED_TRACK } from "./catalog";
export type { FanSnapshot, SpotifyEmulatorControl, UpdateFanInput } from "./create-control";
export type { FaultSpec, RateLimitSpec, RequestRecord, SpotifyEmulatorOptions } from "./create-emulator-state";
export type { CreateFanInput } from "./create-fan";
export { UNREGISTERED_USER_MESSAGE } from "./web-api-routes";

/**
 * A stateful, in-memory stand-in for Spotify's Accounts service and Web API, speaking
 * Spotify's HTTP protocol. Mount `app` at `basePath` (never in production):
 * Accounts at `{basePath}/authorize` and `{basePath}/api/token`, Web API at
 * `{basePath}/v1/…`, artwork at `{basePath}/image/{id}`, control at `{basePath}/_control/…`.
 */
export function createSpotifyEmulator(options: SpotifyEmulatorOptions): { app: Hono; control: SpotifyEmulatorControl } {
  const state = createEmulatorState({
    ...options,
    basePath: options.basePath.replace(/\/+$/, ""),
    publicUrl: options.publicUrl.replace(/\/+$/, ""),
    redirectUris: [...options.redirectUris],
  });
  const control = createControl(state);
  const app = new Hono();
  // Every protocol request is remembered so tests can assert what Backbeat asked (P09).
  app.use("*", async (c, next) => {
    // Mounted under the base path in the app, or at the root when dispatched in-process.
    const path = state.options.basePath && c.req.path.startsWith(state.options.basePath) ? c.req.path.slice(state.options.basePath.length) || "/" : c.req.path;
    if (!path.startsWith("/_control") && !path.startsWith("/image")) {
      state.requestLog.push({ method: c.req.method, path, query: Object.fromEntries(new URL(c.req.url).searchParams) });
      if (state.requestLog.length > REQUEST_LOG_LIMIT) state.requestLog.splice(0, state.requestLog.length - REQUEST_LOG_LIMIT);
    }
    await next();
  });
  app.route("/", createAccountsRoutes(state));
  app.route("/", createWebApiRoutes(state));
  app.route("/", createImageRoutes(state));
  app.route("/_control", createControlRoutes(control));
  return { app, control };
}
