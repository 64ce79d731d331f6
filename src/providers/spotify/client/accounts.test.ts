import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../lib/provider-error";
import { challengeFor, createPkcePair } from "./create-pkce-pair";
import { ACCOUNTS_URL, createHarness, testConfig } from "./test-support";
import { catchProviderError as caught } from "../../../../test/harness/catch-provider-error";


const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

describe("createPkcePair", () => {
  it("matches the RFC 7636 appendix B vector", () => {
    expect(challengeFor(VERIFIER)).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes 43–128 character verifiers with their S256 challenge", () => {
    for (const bytes of [32, 64, 96]) {
      const { verifier, challenge } = createPkcePair(bytes);
      expect(verifier.length).toBeGreaterThanOrEqual(43);
      expect(verifier.length).toBeLessThanOrEqual(128);
      expect(verifier).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(challenge).toBe(createHash("sha256").update(verifier).digest("base64url"));
    }
    expect(createPkcePair().verifier).not.toBe(createPkcePair().verifier);
  });
});

describe("accounts.authorizeUrl", () => {
  it("builds an Authorization Code + PKCE URL with the configured redirect URI", () => {
    const { service } = createHarness();
    const url = new URL(
      service.accounts.authorizeUrl({
        state: "st.abc",
        codeChallenge: challengeFor(VERIFIER),
        scopes: ["user-library-modify", "user-follow-modify"],
        showDialog: true,
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${ACCOUNTS_URL}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "client-id-123",
      response_type: "code",
      redirect_uri: testConfig().redirectUri,
      state: "st.abc",
      code_challenge_method: "S256",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      scope: "user-library-modify user-follow-modify",
      show_dialog: "true",
    });
    expect(url.search).not.toContain(testConfig().clientSecret);
  });

  it("rejects a missing state or a non-S256 challenge", () => {
    const { service } = createHarness();
    expect(() => service.accounts.authorizeUrl({ state: "", codeChallenge: challengeFor(VERIFIER), scopes: [] })).toThrow(ProviderError);
    expect(() => service.accounts.authorizeUrl({ state: "s", codeChallenge: "plain", scopes: [] })).toThrow(/S256/);
  });
});

describe("accounts.exchangeCode", () => {
  it("posts the code with Basic client auth and the verifier, and returns a TokenSet", async () => {
    const h = createHarness();
    h.app.post("/api/token", (c) =>
      c.json({ access_token: "AT-1", token_type: "Bearer", expires_in: 3600, refresh_token: "RT-1", scope: "user-library-modify" }),
    );
    const tokens = await h.service.accounts.exchangeCode({ code: "auth-code-1", codeVerifier: VERIFIER });
    expect(tokens).toEqual({
      accessToken: "AT-1",
      refreshToken: "RT-1",
      accessTokenExpiresAt: new Date("2026-11-29T13:00:00Z"),
      scope: "user-library-modify",
    });
    const call = h.callsTo("/api/token")[0]!;
    expect(call.authorization).toBe(`Basic ${Buffer.from("client-id-123:client-secret-very-secret-0001").toString("base64")}`);
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({
      grant_type: "authorization_code",
      code: "auth-code-1",
      redirect_uri: testConfig().redirectUri,
      code_verifier: VERIFIER,
    });
  });

  it("maps a refused code to invalid_grant", async () => {
    const h = createHarness();
    h.app.post("/api/token", (c) => c.json({ error: "invalid_grant", error_description: "Invalid authorization code" }, 400));
    const err = await caught(h.service.accounts.exchangeCode({ code: "used", codeVerifier: VERIFIER }));
    expect(err.kind).toBe("invalid_grant");
    expect(err.message).not.toContain("used");
  });
});

describe("accounts.refresh", () => {
  it("returns refreshToken undefined when Spotify omits it", async () => {
    const h = createHarness();
    h.app.post("/api/token", (c) => c.json({ access_token: "AT-2", token_type: "Bearer", expires_in: 3600, scope: "a b" }));
    const r = await h.service.accounts.refresh("RT-old-123456");
    expect(r.refreshToken).toBeUndefined();
    expect(r.accessToken).toBe("AT-2");
    expect(Object.fromEntries(new URLSearchParams(h.callsTo("/api/token")[0]!.body))).toEqual({
      grant_type: "refresh_token",
      refresh_token: "RT-old-123456",
    });
  });

  it("returns the rotated refresh token when Spotify sends one", async () => {
    const h = createHarness();
    h.app.post("/api/token", (c) => c.json({ access_token: "AT-3", token_type: "Bearer", expires_in: 3600, refresh_token: "RT-new", scope: "" }));
    expect((await h.service.accounts.refresh("RT-old-123456")).refreshToken).toBe("RT-new");
  });

  it("maps invalid_grant to a non-retryable invalid_grant", async () => {
    const h = createHarness();
    h.app.post("/api/token", (c) => c.json({ error: "invalid_grant", error_description: "Refresh token revoked" }, 400));
    const err = await caught(h.service.accounts.refresh("RT-revoked-123456"));
    expect(err.kind).toBe("invalid_grant");
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain("RT-revoked-123456");
  });

  it("never maps a 5xx to invalid_grant, and does not replay the refresh", async () => {
    const h = createHarness();
    h.app.post("/api/token", (c) => c.json({ error: "invalid_grant", error_description: "x" }, 503));
    const err = await caught(h.service.accounts.refresh("RT-123456"));
    expect(err.kind).toBe("unavailable");
    expect(err.retryable).toBe(true);
    expect(h.callsTo("/api/token")).toHaveLength(1);
  });

  it("maps a network failure to unavailable", async () => {
    const h = createHarness();
    h.app.post("/api/token", () => {
      throw new TypeError("socket hang up");
    });
    h.app.onError((e) => {
      throw e;
    });
    const err = await caught(h.service.accounts.refresh("RT-123456"));
    expect(err.kind).toBe("unavailable");
  });

  it("honours a short Retry-After on the token endpoint", async () => {
    const h = createHarness();
    let n = 0;
    h.app.post("/api/token", (c) =>
      ++n === 1 ? c.json({}, 429, { "retry-after": "1" }) : c.json({ access_token: "AT", token_type: "Bearer", expires_in: 3600 }),
    );
    await h.service.accounts.refresh("RT-123456");
    expect(h.sleeps).toEqual([1000]);
  });
});
