import type { SignInProfile, SignInTokens } from "../google/port";

export type { SignInProfile, SignInTokens } from "../google/port";

/** What Backbeat needs from Meta: Facebook Login, identity only. */
export interface MetaSignIn {
  /**
   * Exchanges the Login dialog's code for a user access token.
   * @throws ProviderError (`bad_request` for a bad/used code or redirect URI, `unauthorized`
   *   for a bad app secret, `unavailable` for 5xx/timeouts).
   */
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier?: string | undefined }): Promise<SignInTokens>;
  /**
   * `GET /me?fields=id,name,email,picture`. `email` is null when the person has none or
   * declined the permission. @throws ProviderError (`unauthorized` for an invalid token, code 190).
   */
  readProfile(tokens: SignInTokens): Promise<SignInProfile>;
}
