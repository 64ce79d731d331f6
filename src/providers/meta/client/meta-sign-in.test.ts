import { describe, expect, it } from "vitest";
import type { SocialSignInConfig } from "../../../config";
import { createFakeClock } from "../../../lib/clock";
import { ProviderError } from "../../../lib/provider-error";
import { createMetaEmulator } from "../emulator/index";
import { createMetaSignIn } from "./create-meta-sign-in";

const PUBLIC = "http://app.test";
const BASE = "/_emulator/meta";
const REDIRECT = `${PUBLIC}/auth/callback/meta`;

function setup(secret = "app-secret-0123456789abcdef") {
  const clock = createFakeClock();
  const emulator = createMetaEmulator({ clock, appId: "123", appSecret: "app-secret-0123456789abcdef", redirectUris: [REDIRECT], basePath: BASE, publicUrl: PUBLIC, graphVersion: "v23.0" });
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    return emulator.app.fetch(new Request(`${PUBLIC}${url.pathname.slice(BASE.length)}${url.search}`, request));
  };
  const config: SocialSignInConfig = {
    mode: "emulated",
    clientId: "123",
    clientSecret: secret,
    authorizeUrl: `${PUBLIC}${BASE}/v23.0/dialog/oauth`,
    tokenUrl: `${PUBLIC}${BASE}/v23.0/oauth/access_token`,
    userinfoUrl: `${PUBLIC}${BASE}/v23.0/me`,
  };
  return { clock, emulator, client: createMetaSignIn(config, { clock, fetch: fetchImpl }) };
}

async function code(s: ReturnType<typeof setup>, scope = "public_profile,email"): Promise<string> {
  const form = new URLSearchParams({ client_id: "123", redirect_uri: REDIRECT, state: "st", scope, user: "new", name: "Mo Meta", email: "Mo@Example.com", decision: "agree" });
  const res = await s.emulator.app.request("/v23.0/dialog/oauth/decision", { method: "POST", body: form });
  return new URL(res.headers.get("location")!).searchParams.get("code")!;
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

describe("Meta (Facebook Login) client against the Meta emulator", () => {
  it("exchanges the code and reads /me with id, name, email, picture", async () => {
    const s = setup();
    const tokens = await s.client.exchangeCode({ code: await code(s), redirectUri: REDIRECT });
    const profile = await s.client.readProfile(tokens);
    expect(profile).toEqual({ subject: s.emulator.control.users()[0]!.id, email: "mo@example.com", emailVerified: true, name: "Mo Meta", image: null });
  });

  it("without the email permission, /me omits email", async () => {
    const s = setup();
    const tokens = await s.client.exchangeCode({ code: await code(s, "public_profile"), redirectUri: REDIRECT });
    expect((await s.client.readProfile(tokens)).email).toBeNull();
  });

  it("Graph errors: a used code (100), a bad secret (1), an invalid token (190)", async () => {
    const s = setup();
    const c = await code(s);
    await s.client.exchangeCode({ code: c, redirectUri: REDIRECT });
    const reused = await failure(s.client.exchangeCode({ code: c, redirectUri: REDIRECT }));
    expect(reused).toMatchObject({ kind: "bad_request", status: 400 });
    expect(reused.message).toContain("code 100");
    const wrong = setup("wrong-secret-0123456789abcdef");
    expect((await failure(wrong.client.exchangeCode({ code: await code(wrong), redirectUri: REDIRECT }))).kind).toBe("unauthorized");
    expect((await failure(s.client.readProfile({ accessToken: "EAAbogus", scopes: [] }))).kind).toBe("unauthorized");
    const raw = await s.emulator.app.request("/v23.0/me?access_token=EAAbogus");
    const body = (await raw.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: "OAuthException", code: 190 });
    expect(typeof body.error.fbtrace_id).toBe("string");
  });
});
