import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { Hono } from "hono";
import { SignJWT } from "jose";
import { generateToken } from "../../spotify/emulator/generate-token";
import { verifyPkce } from "../../spotify/emulator/verify-pkce";
import { createGoogleAccount } from "./create-google-account";
import type { GoogleState } from "./create-google-state";
import { renderGoogleAuthorizePage, renderGoogleErrorPage } from "./render-google-page";

const SCOPES = new Set(["openid", "email", "profile"]);
const CODE_TTL_MS = 10 * 60_000;
const ACCESS_TTL_S = 3599;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** OAuth 2.0 error body (RFC 6749 §5.2), as Google's token endpoint answers. */
function oauthError(c: Context, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description }, status);
}

/**
 * Google's OpenID Connect surface (https://developers.google.com/identity/openid-connect/openid-connect):
 * discovery at `/.well-known/openid-configuration`, the authorization endpoint
 * `/o/oauth2/v2/auth` (an account chooser with Agree / Cancel), `POST /token`
 * (authorization_code with client_secret_post or client_secret_basic, PKCE S256),
 * `GET /v1/userinfo` (Bearer) and the JWKS at `/oauth2/v3/certs`. id_tokens are RS256 JWTs.
 */
export function createOidcRoutes(state: GoogleState): Hono {
  const app = new Hono();
  const { options, issuer } = state;
  const base = options.basePath;

  app.use("*", async (c, next) => {
    const path = c.req.path.startsWith(base) ? c.req.path.slice(base.length) || "/" : c.req.path;
    const index = state.faults.findIndex((f) => path.startsWith(f.pathPrefix));
    const fault = index >= 0 ? state.faults[index] : undefined;
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) state.faults.splice(index, 1);
      if (fault.status === 429) c.header("Retry-After", "1");
      return c.json({ error: fault.status === 429 ? "rate_limit_exceeded" : "internal_failure", error_description: "Backend Error" }, fault.status);
    }
    await next();
  });

  app.get("/.well-known/openid-configuration", (c) =>
    c.json({
      issuer,
      authorization_endpoint: `${issuer}/o/oauth2/v2/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/v1/userinfo`,
      revocation_endpoint: `${issuer}/revoke`,
      jwks_uri: `${issuer}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: ["aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "picture", "sub"],
      code_challenge_methods_supported: ["plain", "S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
    }),
  );

  app.get("/oauth2/v3/certs", async (c) => c.json({ keys: [(await state.signingKey).jwk] }));

  /** Checks an authorization request; an untrusted client or redirect URI never redirects. */
  function checkRequest(params: URLSearchParams): { error: string; description: string } | null {
    if (params.get("client_id") !== options.clientId) return { error: "401: invalid_client", description: "The OAuth client was not found." };
    if (!options.redirectUris.includes(params.get("redirect_uri") ?? "")) {
      return { error: "400: redirect_uri_mismatch", description: "The redirect URI in the request does not match the ones authorized for the OAuth client." };
    }
    if (params.get("response_type") !== "code") return { error: "400: invalid_request", description: "Only response_type=code is supported." };
    const scopes = (params.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (!scopes.includes("openid") && !scopes.includes("email") && !scopes.includes("profile")) return { error: "400: invalid_scope", description: "Missing required parameter: scope" };
    if (scopes.some((s) => !SCOPES.has(s))) return { error: "400: invalid_scope", description: `Some requested scopes were invalid: ${scopes.filter((s) => !SCOPES.has(s)).join(" ")}` };
    const method = params.get("code_challenge_method");
    if (params.get("code_challenge") && method && method !== "S256" && method !== "plain") return { error: "400: invalid_request", description: "Invalid code_challenge_method" };
    return null;
  }

  app.get("/o/oauth2/v2/auth", (c) => {
    const params = new URL(c.req.url).searchParams;
    const problem = checkRequest(params);
    if (problem) return c.html(renderGoogleErrorPage(problem.error, problem.description), 400);
    return c.html(renderGoogleAuthorizePage({ action: `${base}/o/oauth2/v2/auth/decision`, params, accounts: state.accounts, clientName: "Backbeat" }));
  });

  app.post("/o/oauth2/v2/auth/decision", async (c) => {
    const form = await c.req.formData();
    const params = new URLSearchParams();
    for (const key of ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method", "prompt", "access_type"]) {
      const v = form.get(key);
      if (typeof v === "string") params.set(key, v);
    }
    const problem = checkRequest(params);
    if (problem) return c.html(renderGoogleErrorPage(problem.error, problem.description), 400);
    const redirect = new URL(params.get("redirect_uri")!);
    const st = params.get("state");
    if (form.get("decision") !== "agree") {
      redirect.searchParams.set("error", "access_denied");
      if (st !== null) redirect.searchParams.set("state", st);
      return c.redirect(redirect.toString(), 302);
    }
    const choice = String(form.get("account") ?? "new");
    let account = state.accounts.find((a) => a.sub === choice);
    if (!account) {
      const email = String(form.get("email") ?? "").trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        return c.html(renderGoogleAuthorizePage({ action: `${base}/o/oauth2/v2/auth/decision`, params, accounts: state.accounts, clientName: "Backbeat" }).replace("<form", '<p style="color:#b3261e">Enter a valid e-mail address for the new account.</p><form'), 400);
      }
      account = createGoogleAccount(state, { email, name: String(form.get("name") ?? "") });
    }
    const code = `4/0${generateToken("", 32)}`;
    state.codes.set(code, {
      clientId: params.get("client_id")!,
      redirectUri: params.get("redirect_uri")!,
      sub: account.sub,
      scope: params.get("scope")!,
      nonce: params.get("nonce"),
      codeChallenge: params.get("code_challenge"),
      codeChallengeMethod: params.get("code_challenge_method") ?? (params.get("code_challenge") ? "plain" : null),
      expiresAt: options.clock.now().getTime() + CODE_TTL_MS,
    });
    redirect.searchParams.set("code", code);
    if (st !== null) redirect.searchParams.set("state", st);
    redirect.searchParams.set("scope", params.get("scope")!);
    redirect.searchParams.set("authuser", "0");
    redirect.searchParams.set("prompt", "consent");
    return c.redirect(redirect.toString(), 302);
  });

  app.post("/token", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const basic = c.req.header("authorization");
    if (basic?.startsWith("Basic ")) {
      const decoded = Buffer.from(basic.slice(6), "base64").toString("utf8");
      const sep = decoded.indexOf(":");
      clientId = decodeURIComponent(decoded.slice(0, sep));
      clientSecret = decodeURIComponent(decoded.slice(sep + 1));
    }
    if (clientId !== options.clientId || !clientSecret || !same(clientSecret, options.clientSecret)) return oauthError(c, 401, "invalid_client", "Unauthorized");
    if (form.get("grant_type") !== "authorization_code") return oauthError(c, 400, "unsupported_grant_type", "Invalid grant_type: " + (form.get("grant_type") ?? ""));
    const code = form.get("code") ?? "";
    const record = state.codes.get(code);
    // Single use: a code is gone after its first exchange, good or bad.
    state.codes.delete(code);
    if (!record || record.expiresAt < options.clock.now().getTime() || record.clientId !== clientId) return oauthError(c, 400, "invalid_grant", "Bad Request");
    if (record.redirectUri !== form.get("redirect_uri")) return oauthError(c, 400, "redirect_uri_mismatch", "Bad Request");
    if (record.codeChallenge) {
      const verifier = form.get("code_verifier") ?? "";
      const ok = record.codeChallengeMethod === "S256" ? verifyPkce(verifier, record.codeChallenge) : verifier === record.codeChallenge;
      if (!ok) return oauthError(c, 400, "invalid_grant", "Invalid code verifier.");
    }
    const account = state.accounts.find((a) => a.sub === record.sub)!;
    const nowS = Math.floor(options.clock.now().getTime() / 1000);
    const accessToken = `ya29.${generateToken("", 48)}`;
    state.accessTokens.set(accessToken, { sub: account.sub, scope: record.scope, expiresAt: (nowS + ACCESS_TTL_S) * 1000 });
    const { privateKey, jwk } = await state.signingKey;
    const scopes = record.scope.split(/\s+/);
    const claims: Record<string, unknown> = { azp: options.clientId, at_hash: accessToken.slice(5, 27) };
    if (scopes.includes("email")) Object.assign(claims, { email: account.email, email_verified: account.emailVerified });
    if (scopes.includes("profile")) Object.assign(claims, { name: account.name, ...(account.picture ? { picture: account.picture } : {}) });
    if (record.nonce) claims.nonce = record.nonce;
    const idToken = scopes.includes("openid")
      ? await new SignJWT(claims)
          .setProtectedHeader({ alg: "RS256", kid: jwk.kid!, typ: "JWT" })
          .setIssuer(issuer)
          .setAudience(options.clientId)
          .setSubject(account.sub)
          .setIssuedAt(nowS)
          .setExpirationTime(nowS + 3600)
          .sign(privateKey)
      : undefined;
    return c.json({ access_token: accessToken, expires_in: ACCESS_TTL_S, scope: record.scope, token_type: "Bearer", ...(idToken ? { id_token: idToken } : {}) });
  });

  app.get("/v1/userinfo", (c) => {
    const auth = c.req.header("authorization") ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const record = state.accessTokens.get(token);
    if (!record || record.expiresAt < options.clock.now().getTime()) {
      c.header("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
      return c.json({ error: "invalid_request", error_description: "Invalid Credentials" }, 401);
    }
    const account = state.accounts.find((a) => a.sub === record.sub)!;
    const scopes = record.scope.split(/\s+/);
    return c.json({
      sub: account.sub,
      ...(scopes.includes("profile") ? { name: account.name, given_name: account.name.split(" ")[0], ...(account.picture ? { picture: account.picture } : {}) } : {}),
      ...(scopes.includes("email") ? { email: account.email, email_verified: account.emailVerified } : {}),
    });
  });
  return app;
}
