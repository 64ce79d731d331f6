import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { checkRedirectUri } from "./check-redirect-uri";
import type { EmulatorState, Grant } from "./create-emulator-state";
import { countRegisteredFans } from "./count-registered-fans";
import { createFan, DEVELOPMENT_MODE_USER_LIMIT } from "./create-fan";
import { createTrafficGuard } from "./create-traffic-guard";
import { EmulatorInputError } from "./emulator-input-error";
import { generateToken } from "./generate-token";
import { issueAuthorizationCode } from "./issue-authorization-code";
import { AUTHORIZE_PARAM_NAMES, renderAccountsPage, SCOPE_DESCRIPTIONS, type AuthorizeParams, type FanChoice } from "./render-accounts-page";
import { verifyPkce } from "./verify-pkce";

/** Access tokens live one hour (`expires_in: 3600`). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Refresh tokens expire six months after the fan's consent. */
export const REFRESH_TOKEN_LIFETIME_MONTHS = 6;

type Validated =
  | { kind: "page"; message: string }
  | { kind: "redirect"; location: string }
  | { kind: "ok"; scopes: string[]; codeChallenge: string | null };

function redirectWith(params: AuthorizeParams, query: Record<string, string>): string {
  const url = new URL(params.redirect_uri);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  if (params.state) url.searchParams.set("state", params.state);
  return url.toString();
}

function validateAuthorize(state: EmulatorState, p: AuthorizeParams): Validated {
  if (!p.client_id || p.client_id !== state.options.clientId) return { kind: "page", message: "INVALID_CLIENT: Invalid client" };
  const uriProblem = p.redirect_uri ? checkRedirectUri(p.redirect_uri, state.options.redirectUris) : "INVALID_CLIENT: Invalid redirect URI";
  if (uriProblem) return { kind: "page", message: uriProblem };
  // From here the redirect URI is trusted: errors go back to the client (RFC 6749 §4.1.2.1).
  if (p.response_type !== "code") {
    return { kind: "redirect", location: redirectWith(p, { error: "unsupported_response_type" }) };
  }
  if (p.code_challenge || p.code_challenge_method) {
    if (p.code_challenge_method !== "S256" || !/^[A-Za-z0-9\-._~]{43,128}$/.test(p.code_challenge)) {
      return { kind: "redirect", location: redirectWith(p, { error: "invalid_request", error_description: "code_challenge_method must be S256 with a valid code_challenge" }) };
    }
  }
  const scopes = p.scope.split(/[\s+]+/).filter(Boolean);
  if (scopes.some((s) => !(s in SCOPE_DESCRIPTIONS))) return { kind: "redirect", location: redirectWith(p, { error: "invalid_scope" }) };
  return { kind: "ok", scopes, codeChallenge: p.code_challenge || null };
}

function pickParams(source: Record<string, string | File | (string | File)[]> | URLSearchParams): AuthorizeParams {
  const get = (k: string): string => {
    const v = source instanceof URLSearchParams ? source.get(k) : source[k];
    return typeof v === "string" ? v : "";
  };
  const out = {} as AuthorizeParams;
  for (const name of AUTHORIZE_PARAM_NAMES) out[name] = get(name);
  return out;
}

function toChoice(state: EmulatorState, fanId: string): FanChoice | undefined {
  const f = state.fans.get(fanId);
  return f && { id: f.id, displayName: f.displayName, country: f.country, product: f.product, registered: f.registered };
}

function html(c: Context, body: string, status: ContentfulStatusCode = 200): Response {
  c.header("Cache-Control", "no-store");
  return c.html(body, status);
}

function oauthError(c: Context, status: ContentfulStatusCode, error: string, description: string): Response {
  c.header("Cache-Control", "no-store");
  return c.json({ error, error_description: description }, status);
}

function addMonthsUtc(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** Emulated Accounts service: `/authorize` (HTML pages) and `/api/token`. */
export function createAccountsRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  const { basePath } = state.options;

  const chooseFanPage = (params: AuthorizeParams, notice?: string): string => {
    const development = state.options.quotaMode === "development";
    return renderAccountsPage({
      kind: "choose-fan",
      basePath,
      params,
      development,
      registeredByDefault: !development || countRegisteredFans(state) < DEVELOPMENT_MODE_USER_LIMIT,
      fans: [...state.fans.keys()].map((id) => toChoice(state, id)).filter((f): f is FanChoice => f !== undefined),
      ...(notice ? { notice } : {}),
    });
  };

  /** Validates again on every POST: hidden fields come back from the browser. */
  const guard = (c: Context, params: AuthorizeParams): Response | { scopes: string[]; codeChallenge: string | null } => {
    const v = validateAuthorize(state, params);
    if (v.kind === "page") return html(c, renderAccountsPage({ kind: "error", message: v.message }), 400);
    if (v.kind === "redirect") return c.redirect(v.location, 302);
    return v;
  };

  app.get("/authorize", (c) => {
    const params = pickParams(new URL(c.req.url).searchParams);
    const v = guard(c, params);
    if (v instanceof Response) return v;
    return html(c, chooseFanPage(params));
  });

  app.post("/authorize/continue", async (c) => {
    const body = await c.req.parseBody();
    const params = pickParams(body);
    const v = guard(c, params);
    if (v instanceof Response) return v;
    const fan = toChoice(state, typeof body.fan_id === "string" ? body.fan_id : "");
    if (!fan) return html(c, chooseFanPage(params, "That fan no longer exists."), 400);
    return html(c, renderAccountsPage({ kind: "consent", basePath, params, fan, scopes: v.scopes }));
  });

  app.post("/authorize/fans", async (c) => {
    const body = await c.req.parseBody();
    const params = pickParams(body);
    const v = guard(c, params);
    if (v instanceof Response) return v;
    const str = (k: string): string => (typeof body[k] === "string" ? (body[k] as string).trim() : "");
    const displayName = str("display_name");
    if (!displayName) return html(c, chooseFanPage(params, "A display name is required."), 400);
    const product = str("product") === "free" ? "free" : "premium";
    let notice: string | undefined;
    let wantRegistered = str("registered") === "on";
    if (wantRegistered && state.options.quotaMode === "development" && countRegisteredFans(state) >= DEVELOPMENT_MODE_USER_LIMIT) {
      // The dashboard refuses a sixth user; the fan exists on Spotify all the same.
      wantRegistered = false;
      notice = `The app already has ${DEVELOPMENT_MODE_USER_LIMIT} registered users: this fan is not registered.`;
    }
    try {
      const created = createFan(state, {
        displayName,
        country: str("country") || "US",
        product,
        registered: wantRegistered,
        hasActiveDevice: str("active_device") === "on",
      });
      const fan = toChoice(state, created.id)!;
      return html(c, renderAccountsPage({ kind: "consent", basePath, params, fan, scopes: v.scopes, ...(notice ? { notice } : {}) }));
    } catch (err) {
      if (err instanceof EmulatorInputError) return html(c, chooseFanPage(params, err.message), 400);
      throw err;
    }
  });

  app.post("/authorize/decision", async (c) => {
    const body = await c.req.parseBody();
    const params = pickParams(body);
    const v = guard(c, params);
    if (v instanceof Response) return v;
    const fan = state.fans.get(typeof body.fan_id === "string" ? body.fan_id : "");
    if (!fan) return html(c, chooseFanPage(params, "That fan no longer exists."), 400);
    if (body.decision !== "agree") return c.redirect(redirectWith(params, { error: "access_denied" }), 302);
    const code = issueAuthorizationCode(state, { fanId: fan.id, scopes: v.scopes, redirectUri: params.redirect_uri, codeChallenge: v.codeChallenge });
    return c.redirect(redirectWith(params, { code }), 302);
  });

  app.use("/api/token", createTrafficGuard(state, "accounts"));

  app.post("/api/token", async (c) => {
    const contentType = c.req.header("content-type") ?? "";
    const raw = contentType.startsWith("application/x-www-form-urlencoded") ? await c.req.parseBody() : {};
    const field = (k: string): string | undefined => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);

    // Client authentication: HTTP Basic wins over body credentials (RFC 6749 §2.3.1).
    let clientId = field("client_id");
    let clientSecret = field("client_secret");
    const auth = c.req.header("authorization");
    if (auth?.startsWith("Basic ")) {
      const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
      const sep = decoded.indexOf(":");
      if (sep < 0) return oauthError(c, 400, "invalid_client", "Invalid client");
      clientId = decodeURIComponent(decoded.slice(0, sep));
      clientSecret = decodeURIComponent(decoded.slice(sep + 1));
    }
    const grantType = field("grant_type");
    if (!grantType) return oauthError(c, 400, "unsupported_grant_type", "grant_type parameter is missing");
    if (!["authorization_code", "refresh_token", "client_credentials"].includes(grantType)) {
      return oauthError(c, 400, "unsupported_grant_type", "grant_type must be client_credentials, authorization_code or refresh_token");
    }
    if (!clientId || clientId !== state.options.clientId) return oauthError(c, 400, "invalid_client", "Invalid client");
    if (clientSecret !== undefined && clientSecret !== state.options.clientSecret) {
      return oauthError(c, 400, "invalid_client", "Invalid client secret");
    }
    const authenticated = clientSecret !== undefined;
    const now = state.options.clock.now();

    const issueAccess = (grant: Grant): string => {
      const token = generateToken("BQ", 96);
      state.accessTokens.set(token, {
        kind: "user",
        grantId: grant.id,
        scopes: grant.scopes,
        expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000),
      });
      return token;
    };
    const issueRefresh = (grant: Grant): string => {
      const token = generateToken("AQ", 96);
      state.refreshTokens.set(token, { grantId: grant.id, expiresAt: addMonthsUtc(grant.consentedAt, REFRESH_TOKEN_LIFETIME_MONTHS), revoked: false });
      return token;
    };
    c.header("Cache-Control", "no-store");

    if (grantType === "client_credentials") {
      if (!authenticated) return oauthError(c, 400, "invalid_client", "Invalid client secret");
      const token = generateToken("BQ", 96);
      state.accessTokens.set(token, { kind: "app", grantId: null, scopes: [], expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000) });
      // Spotify's own example answers with a lower-case "bearer" for this grant.
      return c.json({ access_token: token, token_type: "bearer", expires_in: ACCESS_TOKEN_TTL_SECONDS });
    }

    if (grantType === "authorization_code") {
      const record = state.codes.get(field("code") ?? "");
      const grant = record && state.grants.get(record.grantId);
      if (!record || !grant || record.used || grant.revoked) return oauthError(c, 400, "invalid_grant", "Invalid authorization code");
      if (now.getTime() >= record.expiresAt.getTime()) return oauthError(c, 400, "invalid_grant", "Authorization code expired");
      if (field("redirect_uri") !== record.redirectUri) return oauthError(c, 400, "invalid_grant", "Invalid redirect URI");
      if (record.codeChallenge !== null) {
        const verifier = field("code_verifier");
        if (!verifier || !verifyPkce(verifier, record.codeChallenge)) return oauthError(c, 400, "invalid_grant", "code_verifier was incorrect");
      } else if (!authenticated) {
        return oauthError(c, 400, "invalid_client", "Invalid client secret");
      }
      record.used = true;
      return c.json({
        access_token: issueAccess(grant),
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
        refresh_token: issueRefresh(grant),
        scope: grant.scopes.join(" "),
      });
    }

    // refresh_token
    const presented = field("refresh_token");
    if (!presented) return oauthError(c, 400, "invalid_request", "refresh_token must be supplied");
    const record = state.refreshTokens.get(presented);
    const grant = record && state.grants.get(record.grantId);
    if (!record || !grant) return oauthError(c, 400, "invalid_grant", "Invalid refresh token");
    if (record.revoked || grant.revoked || now.getTime() >= record.expiresAt.getTime()) {
      return oauthError(c, 400, "invalid_grant", "Refresh token revoked");
    }
    if (!authenticated && !grant.pkce) return oauthError(c, 400, "invalid_client", "Invalid client secret");
    const body: Record<string, string | number> = {
      access_token: issueAccess(grant),
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      scope: grant.scopes.join(" "),
    };
    if (state.rotateRefreshTokens) {
      record.revoked = true;
      body.refresh_token = issueRefresh(grant);
    }
    return c.json(body);
  });

  return app;
}
