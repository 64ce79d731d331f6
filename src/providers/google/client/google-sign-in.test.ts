import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SocialSignInConfig } from "../../../config";
import { createFakeClock } from "../../../lib/clock";
import { ProviderError } from "../../../lib/provider-error";
import { createGoogleEmulator } from "../emulator/index";
import { createGoogleSignIn } from "./create-google-sign-in";

const PUBLIC = "http://app.test";
const BASE = "/_emulator/google";
const REDIRECT = `${PUBLIC}/auth/callback/google`;
const CLIENT = { clientId: "client-1", clientSecret: "secret-0123456789abcdef0123456789" };

function setup() {
  const clock = createFakeClock();
  const emulator = createGoogleEmulator({ clock, ...CLIENT, redirectUris: [REDIRECT], basePath: BASE, publicUrl: PUBLIC });
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    return emulator.app.fetch(new Request(`${PUBLIC}${url.pathname.slice(BASE.length) || "/"}${url.search}`, request));
  };
  const config = (over: Partial<SocialSignInConfig> = {}): SocialSignInConfig => ({
    mode: "emulated",
    ...CLIENT,
    authorizeUrl: `${PUBLIC}${BASE}/o/oauth2/v2/auth`,
    tokenUrl: `${PUBLIC}${BASE}/token`,
    userinfoUrl: `${PUBLIC}${BASE}/v1/userinfo`,
    issuer: `${PUBLIC}${BASE}`,
    jwksUrl: `${PUBLIC}${BASE}/oauth2/v3/certs`,
    ...over,
  });
  return { clock, emulator, fetchImpl, config };
}

/** Runs the authorize + decision steps in the emulator and returns the code. */
async function authorize(s: ReturnType<typeof setup>, verifier: string, email = "ada@gmail.com"): Promise<string> {
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const form = new URLSearchParams({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid email profile", state: "st", code_challenge: challenge, code_challenge_method: "S256", account: "new", email, name: "Ada L", decision: "agree" });
  const res = await s.emulator.app.request("/o/oauth2/v2/auth/decision", { method: "POST", body: form });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  expect(location.searchParams.get("state")).toBe("st");
  return location.searchParams.get("code")!;
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error("expected a ProviderError");
}

describe("Google sign-in client against the Google emulator", () => {
  it("exchanges a code with PKCE and reads the verified profile from the RS256 id_token", async () => {
    const s = setup();
    const verifier = randomBytes(32).toString("base64url");
    const code = await authorize(s, verifier, "Ada@Gmail.com");
    const client = createGoogleSignIn(s.config(), { clock: s.clock, fetch: s.fetchImpl });
    const tokens = await client.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: verifier });
    expect(tokens.idToken).toMatch(/^eyJ/);
    const profile = await client.readProfile(tokens);
    expect(profile).toEqual({ subject: s.emulator.control.accounts()[0]!.sub, email: "ada@gmail.com", emailVerified: true, name: "Ada L", image: null });
    // Single use.
    expect((await failure(client.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: verifier }))).message).toContain("invalid_grant");
  });

  it("a wrong PKCE verifier, redirect URI or client secret is refused", async () => {
    const s = setup();
    const client = createGoogleSignIn(s.config(), { clock: s.clock, fetch: s.fetchImpl });
    const verifier = randomBytes(32).toString("base64url");
    expect((await failure(client.exchangeCode({ code: await authorize(s, verifier), redirectUri: REDIRECT, codeVerifier: randomBytes(32).toString("base64url") }))).message).toContain("invalid_grant");
    expect((await failure(client.exchangeCode({ code: await authorize(s, verifier), redirectUri: `${PUBLIC}/elsewhere`, codeVerifier: verifier }))).message).toContain("redirect_uri_mismatch");
    const wrongSecret = createGoogleSignIn(s.config({ clientSecret: "not-the-secret-0123456789abcdef" }), { clock: s.clock, fetch: s.fetchImpl });
    const err = await failure(wrongSecret.exchangeCode({ code: await authorize(s, verifier), redirectUri: REDIRECT, codeVerifier: verifier }));
    expect(err.kind).toBe("unauthorized");
    expect(err.message).not.toContain("not-the-secret");
  });

  it("rejects an id_token for another audience, from another issuer, or expired", async () => {
    const s = setup();
    const verifier = randomBytes(32).toString("base64url");
    const client = createGoogleSignIn(s.config(), { clock: s.clock, fetch: s.fetchImpl });
    const tokens = await client.exchangeCode({ code: await authorize(s, verifier), redirectUri: REDIRECT, codeVerifier: verifier });
    const otherAudience = createGoogleSignIn(s.config({ clientId: "someone-else" }), { clock: s.clock, fetch: s.fetchImpl });
    expect((await failure(otherAudience.readProfile(tokens))).kind).toBe("invalid_response");
    const otherIssuer = createGoogleSignIn(s.config({ issuer: "https://accounts.google.com" }), { clock: s.clock, fetch: s.fetchImpl });
    expect((await failure(otherIssuer.readProfile(tokens))).kind).toBe("invalid_response");
    s.clock.advance(2 * 3600_000);
    expect((await failure(client.readProfile(tokens))).kind).toBe("invalid_response");
    expect((await failure(client.readProfile({ accessToken: tokens.accessToken, scopes: [] }))).kind).toBe("invalid_response");
  });

  it("never redirects an unknown client or redirect URI; shows Google's error page instead", async () => {
    const s = setup();
    const bad = await s.emulator.app.request(`/o/oauth2/v2/auth?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=openid`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("invalid_client");
    const mismatch = await s.emulator.app.request(`/o/oauth2/v2/auth?client_id=client-1&redirect_uri=${encodeURIComponent("https://evil.example/cb")}&response_type=code&scope=openid`);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("redirect_uri_mismatch");
  });

  it("serves discovery, JWKS and userinfo; a 5xx fault surfaces as unavailable", async () => {
    const s = setup();
    const discovery = (await (await s.emulator.app.request("/.well-known/openid-configuration")).json()) as Record<string, string>;
    expect(discovery).toMatchObject({ issuer: `${PUBLIC}${BASE}`, token_endpoint: `${PUBLIC}${BASE}/token`, jwks_uri: `${PUBLIC}${BASE}/oauth2/v3/certs` });
    const bad = await s.emulator.app.request("/v1/userinfo", { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toContain("invalid_token");
    const verifier = randomBytes(32).toString("base64url");
    const code = await authorize(s, verifier);
    s.emulator.control.injectFault({ pathPrefix: "/token", status: 503 });
    const client = createGoogleSignIn(s.config(), { clock: s.clock, fetch: s.fetchImpl });
    expect((await failure(client.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: verifier }))).kind).toBe("unavailable");
  });
});
