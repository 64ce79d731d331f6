import { describe, expect, it } from "vitest";
import { createPkce, hiddenFieldsOf, KIT, startEmulatorKit } from "./start-emulator-kit";

const SCOPES = "user-read-private user-read-email user-library-modify user-library-read user-follow-modify user-follow-read";

function authorizeQuery(overrides: Record<string, string> = {}): string {
  const pkce = createPkce();
  return new URLSearchParams({
    client_id: KIT.clientId,
    response_type: "code",
    redirect_uri: KIT.redirectUri,
    state: "st-123",
    scope: SCOPES,
    code_challenge_method: "S256",
    code_challenge: pkce.challenge,
    ...overrides,
  }).toString();
}

describe("Spotify emulator: Accounts service", () => {
  it("runs authorize → create fan → Agree → token → /me → save → contains → inspection", async () => {
    const kit = startEmulatorKit();
    const pkce = createPkce();
    const page = await kit.req(`/authorize?${authorizeQuery({ code_challenge: pkce.challenge })}`);
    expect(page.status).toBe(200);
    const chooseHtml = await page.text();
    expect(chooseHtml).toContain(`action="${KIT.basePath}/authorize/fans"`);

    const consent = await kit.form("/authorize/fans", {
      ...hiddenFieldsOf(chooseHtml, "/authorize/fans"),
      display_name: "Ada Fan",
      country: "de",
      product: "premium",
      active_device: "on",
      registered: "on",
    });
    expect(consent.status).toBe(200);
    const consentHtml = await consent.text();
    expect(consentHtml).toMatch(/<button type="submit" name="decision" value="agree">Agree<\/button>/);
    expect(consentHtml).toMatch(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/);
    expect(consentHtml).toContain("Manage your saved content");

    const decided = await kit.form("/authorize/decision", { ...hiddenFieldsOf(consentHtml, "/authorize/decision"), decision: "agree" });
    expect(decided.status).toBe(302);
    const location = new URL(decided.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(KIT.redirectUri);
    expect(location.searchParams.get("state")).toBe("st-123");
    const code = location.searchParams.get("code")!;
    expect(code).toMatch(/^AQ/);

    const tokenRes = await kit.exchange(code, pkce.verifier);
    expect(tokenRes.status).toBe(200);
    const tokens = (await tokenRes.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: SCOPES });
    expect(typeof tokens.access_token).toBe("string");
    expect(typeof tokens.refresh_token).toBe("string");
    const auth = kit.bearer(tokens.access_token as string);

    const me = (await (await kit.req("/v1/me", { headers: auth })).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ display_name: "Ada Fan", country: "DE", product: "premium", type: "user" });
    expect(typeof me.email).toBe("string");
    expect(typeof me.account_id).toBe("string");

    const uris = "spotify:track:11dFghVXANMlKmJXsNCbNl,spotify:album:4aawyAB9vmqN3uQ7FjRGTy,spotify:artist:0TnOYISbd1XYRBk9myaseg";
    const saved = await kit.req(`/v1/me/library?uris=${encodeURIComponent(uris)}`, { method: "PUT", headers: auth });
    expect(saved.status).toBe(200);
    const contains = await kit.req(`/v1/me/library/contains?uris=${uris},spotify:track:6OmhkSOpvYBokMKQxpIGx2`, { headers: auth });
    expect(await contains.json()).toEqual([true, true, true, false]);

    const fanId = me.id as string;
    const inspected = (await (await kit.req(`/_control/fans/${fanId}`)).json()) as Record<string, unknown>;
    expect(inspected).toMatchObject({
      libraryUris: ["spotify:track:11dFghVXANMlKmJXsNCbNl", "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"],
      followedArtistIds: ["0TnOYISbd1XYRBk9myaseg"],
      registered: true,
    });
  });

  it("Cancel redirects with error=access_denied and the state", async () => {
    const kit = startEmulatorKit();
    const fan = kit.control.createFan({ displayName: "Bo" });
    const chooseHtml = await (await kit.req(`/authorize?${authorizeQuery()}`)).text();
    const consentHtml = await (await kit.form("/authorize/continue", { ...hiddenFieldsOf(chooseHtml, "/authorize/continue"), fan_id: fan.id })).text();
    const res = await kit.form("/authorize/decision", { ...hiddenFieldsOf(consentHtml, "/authorize/decision"), decision: "cancel" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("st-123");
    expect(location.searchParams.has("code")).toBe(false);
  });

  it("refuses localhost, unregistered redirect URIs and unknown clients with an error page, never a redirect", async () => {
    const kit = startEmulatorKit();
    const localhost = await kit.req(`/authorize?${authorizeQuery({ redirect_uri: "http://localhost:3000/callback" })}`);
    expect(localhost.status).toBe(400);
    expect(localhost.headers.get("location")).toBeNull();
    expect(await localhost.text()).toContain("INVALID_CLIENT: Insecure redirect URI");

    const unregistered = await kit.req(`/authorize?${authorizeQuery({ redirect_uri: "https://evil.example/cb" })}`);
    expect(unregistered.status).toBe(400);
    expect(unregistered.headers.get("location")).toBeNull();
    expect(await unregistered.text()).toContain("INVALID_CLIENT: Invalid redirect URI");

    const client = await kit.req(`/authorize?${authorizeQuery({ client_id: "nope" })}`);
    expect(await client.text()).toContain("INVALID_CLIENT: Invalid client");

    // A forged hidden field on a POST is re-validated too.
    const forged = await kit.form("/authorize/decision", { ...Object.fromEntries(new URLSearchParams(authorizeQuery({ redirect_uri: "https://evil.example/cb" }))), fan_id: "x", decision: "agree" });
    expect(forged.status).toBe(400);
    expect(forged.headers.get("location")).toBeNull();
  });

  it("accepts a registered loopback URI without a port on any port", async () => {
    const kit = startEmulatorKit({ redirectUris: ["http://127.0.0.1/cb"] });
    const res = await kit.req(`/authorize?${authorizeQuery({ redirect_uri: "http://127.0.0.1:8765/cb" })}`);
    expect(res.status).toBe(200);
  });

  it("escapes every reflected value in the HTML", async () => {
    const kit = startEmulatorKit();
    kit.control.createFan({ displayName: '<img src=x onerror="alert(1)">' });
    const html = await (await kit.req(`/authorize?${authorizeQuery({ state: '"><script>alert(1)</script>' })}`)).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("rejects a wrong client secret, and expired, reused or mis-redirected codes", async () => {
    const kit = startEmulatorKit();
    const fan = kit.control.createFan({ displayName: "C" });
    const pkce = createPkce();
    const issue = (): string => kit.control.authorizeFan({ fanId: fan.id, scopes: ["user-read-private"], codeChallenge: pkce.challenge }).code;

    const wrongSecret = await kit.form(
      "/api/token",
      { grant_type: "authorization_code", code: issue(), redirect_uri: KIT.redirectUri, code_verifier: pkce.verifier },
      { authorization: `Basic ${Buffer.from(`${KIT.clientId}:wrong`).toString("base64")}` },
    );
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toEqual({ error: "invalid_client", error_description: "Invalid client secret" });

    const expiring = issue();
    kit.clock.advance(10 * 60_000);
    const expired = await kit.exchange(expiring, pkce.verifier);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ error: "invalid_grant", error_description: "Authorization code expired" });

    const justInTime = issue();
    kit.clock.advance(10 * 60_000 - 1);
    expect((await kit.exchange(justInTime, pkce.verifier)).status).toBe(200);
    const reused = await kit.exchange(justInTime, pkce.verifier);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: "invalid_grant", error_description: "Invalid authorization code" });

    const otherRedirect = await kit.exchange(issue(), pkce.verifier, { redirect_uri: "http://127.0.0.1:3000/other" });
    expect(await otherRedirect.json()).toEqual({ error: "invalid_grant", error_description: "Invalid redirect URI" });

    const bodyCreds = await kit.form("/api/token", {
      grant_type: "authorization_code",
      code: issue(),
      redirect_uri: KIT.redirectUri,
      code_verifier: pkce.verifier,
      client_id: KIT.clientId,
      client_secret: KIT.clientSecret,
    });
    expect(bodyCreds.status).toBe(200);
  });

  it("checks the PKCE verifier", async () => {
    const kit = startEmulatorKit();
    const fan = kit.control.createFan({ displayName: "D" });
    const pkce = createPkce();
    const { code } = kit.control.authorizeFan({ fanId: fan.id, scopes: [], codeChallenge: pkce.challenge });
    const wrong = await kit.exchange(code, createPkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: "invalid_grant", error_description: "code_verifier was incorrect" });
    const missing = await kit.exchange(code, null);
    expect(await missing.json()).toEqual({ error: "invalid_grant", error_description: "code_verifier was incorrect" });
    expect((await kit.exchange(code, pkce.verifier)).status).toBe(200);
  });

  it("refreshes without rotation (no refresh_token in the answer) and with rotation", async () => {
    const kit = startEmulatorKit();
    const { refreshToken } = await kit.connectFan();
    const refresh = (token: string): Promise<Response> => kit.form("/api/token", { grant_type: "refresh_token", refresh_token: token }, { authorization: kit.basicAuth() });

    const plain = await refresh(refreshToken);
    expect(plain.status).toBe(200);
    const plainBody = (await plain.json()) as Record<string, unknown>;
    expect(plainBody).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(plainBody).not.toHaveProperty("refresh_token");
    expect((await kit.req("/v1/me", { headers: kit.bearer(plainBody.access_token as string) })).status).toBe(200);

    kit.control.setRefreshTokenRotation(true);
    const rotated = (await (await refresh(refreshToken)).json()) as Record<string, unknown>;
    expect(typeof rotated.refresh_token).toBe("string");
    expect(rotated.refresh_token).not.toBe(refreshToken);
    const old = await refresh(refreshToken);
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await refresh(rotated.refresh_token as string)).status).toBe(200);
  });

  it("expires access tokens after 3600 s and refresh tokens six months after consent", async () => {
    const kit = startEmulatorKit();
    const { accessToken, refreshToken } = await kit.connectFan();
    kit.clock.advance(3600 * 1000);
    const expired = await kit.req("/v1/me", { headers: kit.bearer(accessToken) });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { status: 401, message: "The access token expired" } });

    const refresh = (): Promise<Response> => kit.form("/api/token", { grant_type: "refresh_token", refresh_token: refreshToken }, { authorization: kit.basicAuth() });
    kit.clock.set("2027-05-29T11:59:59Z");
    expect((await refresh()).status).toBe(200);
    kit.clock.set("2027-05-29T12:00:00Z");
    const dead = await refresh();
    expect(dead.status).toBe(400);
    expect(((await dead.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("revocation kills every access and refresh token of the fan", async () => {
    const kit = startEmulatorKit();
    const { fanId, accessToken, refreshToken } = await kit.connectFan();
    expect((await kit.req(`/_control/fans/${fanId}/revoke`, { method: "POST" })).status).toBe(200);
    const api = await kit.req("/v1/me", { headers: kit.bearer(accessToken) });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: { status: 401, message: "Invalid access token" } });
    const refresh = await kit.form("/api/token", { grant_type: "refresh_token", refresh_token: refreshToken }, { authorization: kit.basicAuth() });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("issues client-credentials app tokens that read the catalog but not user data", async () => {
    const kit = startEmulatorKit();
    const res = await kit.form("/api/token", { grant_type: "client_credentials" }, { authorization: kit.basicAuth() });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    const auth = kit.bearer(body.access_token as string);
    expect((await kit.req("/v1/tracks/11dFghVXANMlKmJXsNCbNl", { headers: auth })).status).toBe(200);
    const me = await kit.req("/v1/me", { headers: auth });
    expect(me.status).toBe(401);
    const unsupported = await kit.form("/api/token", { grant_type: "password" }, { authorization: kit.basicAuth() });
    expect(((await unsupported.json()) as { error: string }).error).toBe("unsupported_grant_type");
  });

  it("development mode: five registered users, unregistered fans get a code but a 403 from the Web API", async () => {
    const kit = startEmulatorKit({ quotaMode: "development" });
    for (let i = 0; i < 5; i++) kit.control.createFan({ displayName: `R${i}` });
    expect(() => kit.control.createFan({ displayName: "sixth", registered: true })).toThrow(/5 registered users/);

    const chooseHtml = await (await kit.req(`/authorize?${authorizeQuery()}`)).text();
    expect(chooseHtml).not.toMatch(/name="registered" checked/);
    const consentHtml = await (
      await kit.form("/authorize/fans", { ...hiddenFieldsOf(chooseHtml, "/authorize/fans"), display_name: "Late Fan", country: "FR", product: "premium", registered: "on" })
    ).text();
    expect(consentHtml).toContain("this fan is not registered");
    const unregistered = kit.control.listFans().find((f) => f.displayName === "Late Fan")!;
    expect(unregistered.registered).toBe(false);

    const pkce = createPkce();
    const { code } = kit.control.authorizeFan({ fanId: unregistered.id, scopes: ["user-read-private"], codeChallenge: pkce.challenge });
    const tokens = (await (await kit.exchange(code, pkce.verifier)).json()) as { access_token: string };
    const me = await kit.req("/v1/me", { headers: kit.bearer(tokens.access_token) });
    expect(me.status).toBe(403);
    expect(await me.json()).toEqual({
      error: { status: 403, message: "The user is not registered for this application. Please check your settings on https://developer.spotify.com/dashboard." },
    });
  });
});
