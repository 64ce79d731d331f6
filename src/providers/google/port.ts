/** What Backbeat needs from Google: "Sign in with Google" (OpenID Connect), identity only. */
export interface SignInTokens {
  accessToken: string;
  /** OIDC id_token (JWT), when the provider issues one. */
  idToken?: string;
  /** When the access token expires. */
  expiresAt?: Date;
  scopes: string[];
}

export interface SignInProfile {
  /** The provider's stable user id (`sub`). */
  subject: string;
  /** Lower-cased; null when the provider shares none. */
  email: string | null;
  /** Whether the provider vouches for the address. */
  emailVerified: boolean;
  name: string;
  image: string | null;
}

export interface GoogleSignIn {
  /**
   * Exchanges an authorization code (with its PKCE verifier) for tokens.
   * @throws ProviderError (`bad_request` for invalid_grant / redirect_uri_mismatch,
   *   `unauthorized` for a refused client, `unavailable` for 5xx/timeouts).
   */
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier?: string | undefined }): Promise<SignInTokens>;
  /**
   * The signed-in person: from the id_token, verified (RS256, JWKS, `iss`, `aud`, `exp`).
   * @throws ProviderError (`invalid_response` when the id_token is missing or fails verification).
   */
  readProfile(tokens: SignInTokens): Promise<SignInProfile>;
}
