import { createHash, randomBytes } from "node:crypto";
import { Hono } from "hono";
import { createFakeClock, type FakeClock } from "../../../lib/clock";
import type { CreateFanInput } from "./create-fan";
import { createSpotifyEmulator, type SpotifyEmulatorControl } from "./index";

/** Test-only helpers: an emulator mounted like the app mounts it, plus OAuth shortcuts. */
export const KIT = {
  clientId: "backbeat-test-client",
  clientSecret: "backbeat-test-secret-0123456789abcdef",
  redirectUri: "http://127.0.0.1:3000/oauth/spotify/callback",
  basePath: "/_emulator/spotify",
  publicUrl: "http://127.0.0.1:3000",
} as const;

export const ALL_FAN_SCOPES = [
  "user-read-private",
  "user-read-email",
  "user-library-modify",
  "user-library-read",
  "user-follow-modify",
  "user-follow-read",
  "user-read-playback-state",
  "user-modify-playback-state",
  "user-read-recently-played",
];

export interface EmulatorKit {
  clock: FakeClock;
  control: SpotifyEmulatorControl;
  /** Request relative to the mount point, e.g. `req("/v1/me", …)`. */
  req(path: string, init?: RequestInit): Promise<Response>;
  basicAuth(): string;
  /** A fan plus a token set obtained through `/api/token` (PKCE). */
  connectFan(fan?: Partial<CreateFanInput>, scopes?: string[]): Promise<{ fanId: string; accessToken: string; refreshToken: string }>;
  bearer(token: string): { authorization: string };
  exchange(code: string, verifier: string | null, extra?: Record<string, string>): Promise<Response>;
  form(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Spins up an emulator mounted under `KIT.basePath` on a root Hono app (no sockets). */
export function startEmulatorKit(options: { quotaMode?: "extended" | "development"; redirectUris?: string[] } = {}): EmulatorKit {
  const clock = createFakeClock("2026-11-29T12:00:00Z");
  const { app, control } = createSpotifyEmulator({
    clock,
    clientId: KIT.clientId,
    clientSecret: KIT.clientSecret,
    redirectUris: options.redirectUris ?? [KIT.redirectUri, "http://localhost:3000/callback"],
    quotaMode: options.quotaMode ?? "extended",
    basePath: KIT.basePath,
    publicUrl: KIT.publicUrl,
  });
  const root = new Hono();
  root.route(KIT.basePath, app);
  const req = async (path: string, init?: RequestInit): Promise<Response> => root.request(`${KIT.basePath}${path}`, init);
  const basicAuth = (): string => `Basic ${Buffer.from(`${KIT.clientId}:${KIT.clientSecret}`).toString("base64")}`;
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
    req(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() });
  const exchange = (code: string, verifier: string | null, extra: Record<string, string> = {}): Promise<Response> =>
    form(
      "/api/token",
      { grant_type: "authorization_code", code, redirect_uri: KIT.redirectUri, ...(verifier ? { code_verifier: verifier } : {}), ...extra },
      { authorization: basicAuth() },
    );
  return {
    clock,
    control,
    req,
    basicAuth,
    form,
    exchange,
    bearer: (token) => ({ authorization: `Bearer ${token}` }),
    connectFan: async (fan = {}, scopes = ALL_FAN_SCOPES) => {
      const created = control.createFan({ displayName: "Test Fan", ...fan });
      const pkce = createPkce();
      const { code } = control.authorizeFan({ fanId: created.id, scopes, codeChallenge: pkce.challenge });
      const res = await exchange(code, pkce.verifier);
      const body = (await res.json()) as { access_token: string; refresh_token: string };
      return { fanId: created.id, accessToken: body.access_token, refreshToken: body.refresh_token };
    },
  };
}

/** Hidden `<input>` fields of the first form whose action ends with `actionSuffix`. */
export function hiddenFieldsOf(html: string, actionSuffix: string): Record<string, string> {
  const forms = html.split("<form").slice(1);
  const form = forms.find((f) => new RegExp(`action="[^"]*${actionSuffix.replace(/[/.]/g, "\\$&")}"`).test(f));
  if (!form) throw new Error(`no form for ${actionSuffix}`);
  const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) out[unescape(m[1] ?? "")] = unescape(m[2] ?? "");
  return out;
}
