import type { z } from "zod";
import { isProviderError } from "../../../lib/provider-error";
import type { AppTokenSource } from "./create-app-token-source";
import type { ApiCaller, ApiRequest, SpotifyContext } from "./context";

/**
 * Web API calls with the app (client-credentials) token. A 401 drops the cached token and
 * retries once with a fresh one (the token can be revoked before its `expires_in`).
 */
export function createAppCaller(ctx: SpotifyContext, tokens: AppTokenSource): ApiCaller {
  async function send<S extends z.ZodType>(req: ApiRequest<S>, token: string): Promise<z.output<S>> {
    return ctx.api.request({ ...req, headers: { authorization: `Bearer ${token}` } });
  }
  return async <S extends z.ZodType>(req: ApiRequest<S>): Promise<z.output<S>> => {
    const token = await tokens.get();
    try {
      return await send(req, token);
    } catch (error) {
      if (!isProviderError(error, "unauthorized")) throw error;
      tokens.invalidate(token);
      return send(req, await tokens.get());
    }
  };
}
