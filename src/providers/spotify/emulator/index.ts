import { Hono } from "hono";
import type { Clock } from "../../../lib/clock";
import { createAccountsRoutes } from "./accounts-routes";
import { createControl, type SpotifyEmulatorControl } from "./create-control";
import { createControlRoutes } from "./control-routes";
import { createEmulatorState } from "./create-emulator-state";
import { createImageRoutes } from "./image-routes";
import { createWebApiRoutes } from "./web-api-routes";

export type { AddReleaseInput } from "./add-release";
export { DEMO_UPCOMING, RELINKED_TRACK } from "./catalog";
export type { FanSnapshot, SpotifyEmulatorControl, UpdateFanInput } from "./create-control";
export type { FaultSpec, RateLimitSpec } from "./create-emulator-state";
export type { CreateFanInput } from "./create-fan";
export { UNREGISTERED_USER_MESSAGE } from "./web-api-routes";

/**
 * A stateful, in-memory stand-in for Spotify's Accounts service and Web API, speaking
 * Spotify's HTTP protocol. Mount `app` at `basePath` (never in production):
 * Accounts at `{basePath}/authorize` and `{basePath}/api/token`, Web API at
 * `{basePath}/v1/…`, artwork at `{basePath}/image/{id}`, control at `{basePath}/_control/…`.
 */
export function createSpotifyEmulator(options: {
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs (exact match; `localhost` ones are invalid and ignored). */
  redirectUris: string[];
  quotaMode: "extended" | "development";
  /** Mount path, e.g. `/_emulator/spotify`. */
  basePath: string;
  /** Origin for absolute URLs in API objects, e.g. `http://127.0.0.1:3000`. */
  publicUrl: string;
}): { app: Hono; control: SpotifyEmulatorControl } {
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
