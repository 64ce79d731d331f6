import type { RefreshResult } from "../port";
import type { SpotifyContext } from "./context";
import { badRequest } from "./spotify-ids";
import { expiryFrom, postTokenRequest } from "./token-request";

/**
 * New access token from a refresh token: `grant_type=refresh_token`, Basic client auth.
 * Spotify may or may not return a new refresh token; `refreshToken` is `undefined` when it
 * did not, and the caller keeps the old one.
 * https://developer.spotify.com/documentation/web-api/tutorials/refreshing-tokens
 * @throws ProviderError `invalid_grant` (revoked, expired after 6 months, unknown: not
 *   retryable, send the fan through consent again), `unavailable` (5xx, timeout, network:
 *   never `invalid_grant`), `rate_limited`.
 */
export async function refreshAccessToken(ctx: SpotifyContext, refreshToken: string): Promise<RefreshResult> {
  if (refreshToken.length === 0) throw badRequest("refresh token is empty");
  const res = await postTokenRequest(ctx, { grant_type: "refresh_token", refresh_token: refreshToken }, false);
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token ?? undefined,
    accessTokenExpiresAt: expiryFrom(ctx, res.expires_in),
    scope: res.scope ?? "",
  };
}
