import { ProviderError } from "../../../lib/provider-error";
import type { TokenSet } from "../port";
import type { SpotifyContext } from "./context";
import { badRequest } from "./spotify-ids";
import { expiryFrom, postTokenRequest } from "./token-request";

/**
 * Exchanges an authorization code (+ its PKCE verifier) for the fan's tokens.
 * `grant_type=authorization_code, code, redirect_uri, code_verifier`, Basic client auth.
 * https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow#request-an-access-token
 * @throws ProviderError `invalid_grant` (code used, expired or verifier mismatch), `unavailable`
 *   (5xx/timeout; not retried, codes are single-use), `invalid_response` (no refresh token).
 */
export async function exchangeCode(ctx: SpotifyContext, input: { code: string; codeVerifier: string }): Promise<TokenSet> {
  if (input.code.length === 0) throw badRequest("code is required");
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(input.codeVerifier)) throw badRequest("codeVerifier must be 43–128 unreserved characters");
  const res = await postTokenRequest(
    ctx,
    {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: ctx.config.redirectUri,
      code_verifier: input.codeVerifier,
    },
    false,
  );
  if (!res.refresh_token) {
    throw new ProviderError({ provider: "spotify", kind: "invalid_response", message: "POST /api/token: no refresh_token in code exchange" });
  }
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token,
    accessTokenExpiresAt: expiryFrom(ctx, res.expires_in),
    scope: res.scope ?? "",
  };
}
