import { Hono } from "hono";
import { createAccountsRoutes } from "./accounts-routes";
import { createControl, type SpotifyEmulatorControl } from "./create-control";
import { createControlRoutes } from "./control-routes";
import { createEmulatorState, type SpotifyEmulatorOptions } from "./create-emulator-state";
import { createImageRoutes } from "./image-routes";
import { createWebApiRoutes } from "./web-api-routes";

export type { AddReleaseInput } from "./add-release";
export { DEMO_UPCOMING, RELINKED_TRACK } from "./catalog";
export type { FanSnapshot, SpotifyEmulatorControl, UpdateFanInput } from "./create-control";
export type { FaultSpec, RateLimitSpec, SpotifyEmulatorOptions } from "./create-emulator-state";
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
  app.route("/", createAccountsRoutes(state));
  app.route("/", createWebApiRoutes(state));
  app.route("/", createImageRoutes(state));
  app.route("/_control", createControlRoutes(control));
  return { app, control };
}
