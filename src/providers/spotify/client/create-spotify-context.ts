import type { SpotifyConfig } from "../../../config";
import { createHttpClient } from "../../../lib/http";
import { classifyAccountsFailure, classifyApiFailure } from "./classify-failure";
import type { SpotifyContext, SpotifyDeps } from "./context";

/** Timeouts and retry budget for Spotify calls (ms). A fan waits on these in the save flow. */
const TIMEOUT_MS = 8_000;
const MAX_RETRY_AFTER_MS = 5_000;

/**
 * Builds the Accounts and Web API HTTP clients sharing the injected fetch, sleep and random.
 * `background`: no in-process waiting at all (no Retry-After sleep, no retries) — for jobs,
 * which reschedule themselves instead of holding a worker.
 */
export function createSpotifyContext(config: SpotifyConfig, deps: SpotifyDeps, options: { background?: boolean } = {}): SpotifyContext {
  const shared = {
    provider: "spotify",
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    now: () => deps.clock.now().getTime(),
    logger: deps.logger,
    timeoutMs: TIMEOUT_MS,
    maxRetryAfterMs: MAX_RETRY_AFTER_MS,
    secrets: [config.clientSecret],
    ...(options.background ? { maxRetryAfterMs: 0, retries: 0 } : {}),
  };
  return {
    config,
    clock: deps.clock,
    logger: deps.logger,
    accounts: createHttpClient({ ...shared, baseUrl: config.accountsUrl, classify: classifyAccountsFailure }),
    api: createHttpClient({ ...shared, baseUrl: config.apiUrl, classify: classifyApiFailure }),
  };
}
