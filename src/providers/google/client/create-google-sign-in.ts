import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { z } from "zod";
import type { SocialSignInConfig } from "../../../config";
import type { Clock } from "../../../lib/clock";
import { createHttpClient, type FailureClassification, type HttpClient, type HttpFailure } from "../../../lib/http/index";
import type { Logger } from "../../../lib/logger";
import { ProviderError } from "../../../lib/provider-error";
import type { GoogleSignIn } from "../port";

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive().optional(),
  id_token: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string(),
});
const jwksResponse = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });
const claimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

/** OAuth 2.0 error bodies (RFC 6749 §5.2): `invalid_client` → unauthorized, the rest bad_request. */
function classify(failure: HttpFailure): FailureClassification | undefined {
  const body = failure.body as { error?: unknown } | undefined;
  const error = typeof body?.error === "string" ? body.error : undefined;
  if (error === "invalid_client" || failure.status === 401) return { kind: "unauthorized", detail: error ?? "unauthorized" };
  return { kind: "bad_request", ...(error ? { detail: error } : {}) };
}

const JWKS_TTL_MS = 60 * 60_000;

/**
 * "Sign in with Google" over OpenID Connect
 * (https://developers.google.com/identity/openid-connect/openid-connect): code exchange at
 * the token endpoint (client_secret_post, PKCE verifier), id_token verified against the
 * JWKS (cached one hour, refetched once on an unknown `kid`) with `iss` = the configured
 * issuer, `aud` = our client id, and `exp` checked against the injected clock.
 */
export function createGoogleSignIn(config: SocialSignInConfig, deps: { clock: Clock; fetch?: typeof fetch; logger?: Logger }): GoogleSignIn {
  const clients = new Map<string, HttpClient>();
  const at = (url: string): { http: HttpClient; path: string } => {
    const u = new URL(url);
    let http = clients.get(u.origin);
    if (!http) {
      http = createHttpClient({
        provider: "google",
        baseUrl: u.origin,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
        secrets: [config.clientSecret],
        classify,
      });
      clients.set(u.origin, http);
    }
    return { http, path: u.pathname };
  };
  let jwks: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | null = null;
  const loadJwks = async (force: boolean) => {
    if (!jwks || force || deps.clock.now().getTime() - jwks.fetchedAt > JWKS_TTL_MS) {
      const { http, path } = at(config.jwksUrl!);
      const body = await http.request({ method: "GET", path, schema: jwksResponse });
      jwks = { set: createLocalJWKSet(body as unknown as JSONWebKeySet), fetchedAt: deps.clock.now().getTime() };
    }
    return jwks.set;
  };

  return {
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const { http, path } = at(config.tokenUrl);
      const form: Record<string, string> = {
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      };
      if (codeVerifier) form.code_verifier = codeVerifier;
      const body = await http.request({ method: "POST", path, form, schema: tokenResponse, secrets: [code] });
      return {
        accessToken: body.access_token,
        ...(body.id_token ? { idToken: body.id_token } : {}),
        ...(body.expires_in ? { expiresAt: new Date(deps.clock.now().getTime() + body.expires_in * 1000) } : {}),
        scopes: (body.scope ?? "").split(/\s+/).filter(Boolean),
      };
    },

    async readProfile(tokens) {
      if (!tokens.idToken) throw new ProviderError({ provider: "google", kind: "invalid_response", message: "token response carried no id_token" });
      const verify = async (force: boolean) =>
        jwtVerify(tokens.idToken!, await loadJwks(force), {
          issuer: config.issuer!,
          audience: config.clientId,
          algorithms: ["RS256"],
          currentDate: deps.clock.now(),
        });
      let payload: unknown;
      try {
        payload = (await verify(false)).payload;
      } catch (err) {
        // Google rotates keys: an unknown kid gets one fresh JWKS before giving up.
        if ((err as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY") {
          throw new ProviderError({ provider: "google", kind: "invalid_response", message: `id_token rejected (${(err as { code?: string }).code ?? "invalid"})`, cause: err });
        }
        try {
          payload = (await verify(true)).payload;
        } catch (again) {
          throw new ProviderError({ provider: "google", kind: "invalid_response", message: "id_token rejected (no matching key)", cause: again });
        }
      }
      const claims = claimsSchema.parse(payload);
      return {
        subject: claims.sub,
        email: claims.email?.toLowerCase() ?? null,
        emailVerified: claims.email_verified === true || claims.email_verified === "true",
        name: claims.name ?? claims.email?.split("@")[0] ?? "Google user",
        image: claims.picture ?? null,
      };
    },
  };
}
