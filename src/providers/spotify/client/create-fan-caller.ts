import type { z } from "zod";
import { isProviderError } from "../../../lib/provider-error";
import type { FanTokenStore, RefreshResult, TokenSet } from "../port";
import type { ApiCaller, ApiRequest, SpotifyContext } from "./context";

/** Refresh the fan's access token when it expires within this many ms. */
export const FAN_TOKEN_EARLY_REFRESH_MS = 60_000;

/**
 * Refreshes in progress in this process, by `accountsUrl|clientId|store.key`. Entries live
 * only while a refresh runs (no cached tokens here: PRODUCT.md §6), so this is a
 * single-flight lock, not shared state.
 */
const refreshesInFlight = new Map<string, Promise<TokenSet>>();

/**
 * Web API calls on behalf of one fan.
 *
 * - Before a call: refresh when the access token expires within 60 s.
 * - A 401: refresh once and retry once; a second 401 is raised (`unauthorized`).
 * - Refresh is single-flight per `store.key` in this process, and runs inside
 *   `store.exclusive` (a lock shared by every node) when the store has one; inside, the
 *   store is re-read first, so tokens another caller or node already renewed are used as
 *   they are.
 * - The new TokenSet (old refresh token kept when Spotify sends none) is `store.save()`d
 *   before the new access token is used.
 *
 * Errors: `ProviderError` from Spotify (`invalid_grant` when consent is gone); errors thrown
 * by the store propagate unchanged.
 */
export function createFanCaller(
  ctx: SpotifyContext,
  refresh: (refreshToken: string) => Promise<RefreshResult>,
  store: FanTokenStore,
): ApiCaller {
  const flightKey = `${ctx.config.accountsUrl}|${ctx.config.clientId}|${store.key}`;
  let current: TokenSet | undefined;

  const expiresSoon = (tokens: TokenSet): boolean =>
    tokens.accessTokenExpiresAt.getTime() - ctx.clock.now().getTime() <= FAN_TOKEN_EARLY_REFRESH_MS;

  async function renew(stale: TokenSet): Promise<TokenSet> {
    let flight = refreshesInFlight.get(flightKey);
    if (!flight) {
      const locked = async (tokens: Pick<FanTokenStore, "load" | "save">): Promise<TokenSet> => {
        const latest = await tokens.load();
        if (latest.accessToken !== stale.accessToken && !expiresSoon(latest)) return latest;
        const result = await refresh(latest.refreshToken);
        const next: TokenSet = {
          accessToken: result.accessToken,
          // Spotify may omit the refresh token: keep the one we have.
          refreshToken: result.refreshToken ?? latest.refreshToken,
          accessTokenExpiresAt: result.accessTokenExpiresAt,
          scope: result.scope || latest.scope,
        };
        await tokens.save(next);
        return next;
      };
      // Across nodes: the store's lock (a row lock) makes a second node wait, then re-read
      // the tokens the first one saved instead of spending the refresh token again.
      flight = (store.exclusive ? store.exclusive(locked) : locked(store)).finally(() => {
        refreshesInFlight.delete(flightKey);
      });
      refreshesInFlight.set(flightKey, flight);
    }
    current = await flight;
    return current;
  }

  function send<S extends z.ZodType>(req: ApiRequest<S>, tokens: TokenSet): Promise<z.output<S>> {
    return ctx.api.request({ ...req, headers: { authorization: `Bearer ${tokens.accessToken}` } });
  }

  return async <S extends z.ZodType>(req: ApiRequest<S>): Promise<z.output<S>> => {
    let tokens = current ?? (current = await store.load());
    if (expiresSoon(tokens)) tokens = await renew(tokens);
    try {
      return await send(req, tokens);
    } catch (error) {
      if (!isProviderError(error, "unauthorized")) throw error;
      ctx.logger.debug({ provider: "spotify", request: `${req.method} ${req.path}` }, "401 with fan token, refreshing once");
      tokens = await renew(tokens);
      return send(req, tokens);
    }
  };
}
