import type { z } from "zod";
import type { SpotifyContext } from "./context";
import { tokenResponseSchema } from "./schemas";

export type TokenResponse = z.output<typeof tokenResponseSchema>;

/**
 * `POST {accountsUrl}/api/token` with client authentication in a Basic header
 * (confidential client: https://developer.spotify.com/documentation/web-api/tutorials/code-flow).
 * `idempotent` only for client_credentials: a code is single-use and a refresh may rotate
 * the refresh token, so replaying those after an ambiguous failure could turn a timeout
 * into a false `invalid_grant`. 429s are still retried (a 429 was not processed).
 */
export function postTokenRequest(ctx: SpotifyContext, form: Record<string, string>, idempotent: boolean): Promise<TokenResponse> {
  const basic = Buffer.from(`${ctx.config.clientId}:${ctx.config.clientSecret}`, "utf8").toString("base64");
  return ctx.accounts.request({
    method: "POST",
    path: "/api/token",
    form,
    headers: { authorization: `Basic ${basic}` },
    schema: tokenResponseSchema,
    idempotent,
  });
}

/** Absolute expiry for `expires_in` seconds from now. */
export function expiryFrom(ctx: SpotifyContext, expiresInSeconds: number): Date {
  return new Date(ctx.clock.now().getTime() + expiresInSeconds * 1000);
}
