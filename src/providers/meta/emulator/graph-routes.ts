import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { Hono } from "hono";
import { generateToken } from "../../spotify/emulator/generate-token";
import { createMetaUser } from "./create-meta-user";
import type { MetaState } from "./create-meta-state";
import { renderMetaErrorPage, renderMetaLoginDialog } from "./render-meta-page";

const PERMISSIONS = new Set(["public_profile", "email"]);
const FIELDS = new Set(["id", "name", "email", "picture", "first_name", "last_name"]);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Graph API error body (https://developers.facebook.com/docs/graph-api/guides/error-handling). */
function graphError(c: Context, status: 400 | 401 | 403 | 429 | 500 | 502 | 503, message: string, type: string, code: number, subcode?: number): Response {
  return c.json({ error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: generateToken("A", 12) } }, status);
}

/**
 * Facebook Login's manual flow (https://developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow):
 * the Login dialog `/{v}/dialog/oauth`, the code exchange `GET /{v}/oauth/access_token`
 * (client_id, redirect_uri, client_secret, code) and `GET /{v}/me?fields=…` (token as
 * `access_token` query or Bearer). Errors use Graph's `{ error: { message, type, code, fbtrace_id } }`.
 */
export function createGraphRoutes(state: MetaState): Hono {
  const app = new Hono();
  const { options } = state;
  const v = options.graphVersion;
  const base = options.basePath;

  app.use("*", async (c, next) => {
    const path = c.req.path.startsWith(base) ? c.req.path.slice(base.length) || "/" : c.req.path;
    const index = state.faults.findIndex((f) => path.startsWith(f.pathPrefix));
    const fault = index >= 0 ? state.faults[index] : undefined;
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) state.faults.splice(index, 1);
      if (fault.status === 429) return graphError(c, 429, "(#4) Application request limit reached", "OAuthException", 4);
      return graphError(c, fault.status, "An unexpected error has occurred. Please retry your request later.", "OAuthException", 2);
    }
    await next();
  });

  function checkDialog(params: URLSearchParams): string | null {
    if (params.get("client_id") !== options.appId) return "Invalid App ID: The provided app ID does not look like a valid app ID.";
    if (!options.redirectUris.includes(params.get("redirect_uri") ?? "")) {
      return "URL blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.";
    }
    const rt = params.get("response_type") ?? "code";
    if (rt !== "code") return "Only response_type=code is supported by this emulator.";
    return null;
  }
  const scopesOf = (params: URLSearchParams) => {
    const s = (params.get("scope") ?? "public_profile").split(/[,\s]+/).filter(Boolean);
    return s.includes("public_profile") ? s : ["public_profile", ...s];
  };

  app.get(`/${v}/dialog/oauth`, (c) => {
    const params = new URL(c.req.url).searchParams;
    const problem = checkDialog(params);
    if (problem) return c.html(renderMetaErrorPage(problem), 400);
    return c.html(renderMetaLoginDialog({ action: `${base}/${v}/dialog/oauth/decision`, params, users: state.users, scopes: scopesOf(params) }));
  });

  app.post(`/${v}/dialog/oauth/decision`, async (c) => {
    const form = await c.req.formData();
    const params = new URLSearchParams();
    for (const key of ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"]) {
      const val = form.get(key);
      if (typeof val === "string") params.set(key, val);
    }
    const problem = checkDialog(params);
    if (problem) return c.html(renderMetaErrorPage(problem), 400);
    const redirect = new URL(params.get("redirect_uri")!);
    const st = params.get("state");
    if (form.get("decision") !== "agree") {
      redirect.searchParams.set("error_reason", "user_denied");
      redirect.searchParams.set("error", "access_denied");
      redirect.searchParams.set("error_description", "Permissions error.");
      if (st !== null) redirect.searchParams.set("state", st);
      return c.redirect(redirect.toString(), 302);
    }
    const choice = String(form.get("user") ?? "new");
    const user =
      state.users.find((u) => u.id === choice) ??
      createMetaUser(state, { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") || null });
    const scopes = scopesOf(params).filter((s) => PERMISSIONS.has(s));
    const code = generateToken("AQ", 64);
    state.codes.set(code, { userId: user.id, redirectUri: params.get("redirect_uri")!, scopes, expiresAt: options.clock.now().getTime() + 10 * 60_000 });
    redirect.searchParams.set("code", code);
    if (st !== null) redirect.searchParams.set("state", st);
    // Facebook appends this fragment to code redirects.
    redirect.hash = "_=_";
    return c.redirect(redirect.toString(), 302);
  });

  const exchange = async (c: Context) => {
    const q = c.req.method === "POST" ? new URLSearchParams(await c.req.text()) : new URL(c.req.url).searchParams;
    if (q.get("client_id") !== options.appId) return graphError(c, 400, "Error validating application. Invalid application ID.", "OAuthException", 101);
    if (!same(q.get("client_secret") ?? "", options.appSecret)) return graphError(c, 400, "Error validating client secret.", "OAuthException", 1);
    const code = q.get("code") ?? "";
    const record = state.codes.get(code);
    if (!record) return graphError(c, 400, "Invalid verification code format.", "OAuthException", 100, 36009);
    state.codes.delete(code);
    if (record.expiresAt < options.clock.now().getTime()) return graphError(c, 400, "This authorization code has expired.", "OAuthException", 100, 36007);
    if (record.redirectUri !== q.get("redirect_uri")) {
      return graphError(c, 400, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request", "OAuthException", 100, 36008);
    }
    const token = generateToken("EAA", 96);
    const expiresIn = 60 * 24 * 3600;
    state.accessTokens.set(token, { userId: record.userId, scopes: record.scopes, expiresAt: options.clock.now().getTime() + expiresIn * 1000 });
    return c.json({ access_token: token, token_type: "bearer", expires_in: expiresIn });
  };
  app.get(`/${v}/oauth/access_token`, exchange);
  app.post(`/${v}/oauth/access_token`, exchange);

  app.get(`/${v}/me`, (c) => {
    const url = new URL(c.req.url);
    const auth = c.req.header("authorization") ?? "";
    const token = url.searchParams.get("access_token") ?? (auth.startsWith("Bearer ") ? auth.slice(7) : "");
    if (!token) return graphError(c, 400, "An active access token must be used to query information about the current user.", "OAuthException", 2500);
    const record = state.accessTokens.get(token);
    if (!record || record.expiresAt < options.clock.now().getTime()) {
      return graphError(c, 400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
    }
    const user = state.users.find((u) => u.id === record.userId)!;
    const fields = (url.searchParams.get("fields") ?? "id,name").split(",").map((f) => f.trim()).filter(Boolean);
    const unknown = fields.find((f) => !FIELDS.has(f.replace(/\..*$/, "").replace(/\{.*$/, "")));
    if (unknown) return graphError(c, 400, `(#100) Tried accessing nonexisting field (${unknown}) on node type (User)`, "OAuthException", 100);
    const out: Record<string, unknown> = {};
    for (const f of fields.map((x) => x.replace(/\..*$/, "").replace(/\{.*$/, ""))) {
      if (f === "id") out.id = user.id;
      if (f === "name") out.name = user.name;
      if (f === "first_name") out.first_name = user.name.split(" ")[0];
      if (f === "last_name") out.last_name = user.name.split(" ").slice(1).join(" ");
      // Without the email permission (or without an address) Graph simply omits the field.
      if (f === "email" && user.email && record.scopes.includes("email")) out.email = user.email;
      if (f === "picture") {
        out.picture = { data: { height: 50, width: 50, is_silhouette: !user.pictureUrl, url: user.pictureUrl ?? `${options.publicUrl}${base}/silhouette.png` } };
      }
    }
    out.id = user.id;
    return c.json(out);
  });
  return app;
}
