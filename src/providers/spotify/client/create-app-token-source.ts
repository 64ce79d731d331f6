import type { SpotifyContext } from "./context";
import { postTokenRequest } from "./token-request";

/** Renew the app token this long before it expires (ms). */
export const APP_TOKEN_EARLY_RENEW_MS = 60_000;

export interface AppTokenSource {
  /** A valid app access token (client credentials), cached until ~60 s before expiry. */
  get(): Promise<string>;
  /** Drops `token` from the cache (after a 401), so the next `get()` fetches a new one. */
  invalidate(token: string): void;
}

/**
 * Client-credentials token for catalog calls, cached per node and fetched single-flight:
 * concurrent callers share one `POST /api/token`.
 * https://developer.spotify.com/documentation/web-api/tutorials/client-credentials-flow
 */
export function createAppTokenSource(ctx: SpotifyContext): AppTokenSource {
  let cached: { token: string; expiresAtMs: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const res = await postTokenRequest(ctx, { grant_type: "client_credentials" }, true);
    cached = { token: res.access_token, expiresAtMs: ctx.clock.now().getTime() + res.expires_in * 1000 };
    return res.access_token;
  }

  return {
    async get() {
      if (cached && cached.expiresAtMs - ctx.clock.now().getTime() > APP_TOKEN_EARLY_RENEW_MS) return cached.token;
      // Every caller awaits `inFlight`, so a rejection is always handled.
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
