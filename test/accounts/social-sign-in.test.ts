import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authAccounts, users } from "../../src/db/schema/index";
import { createTestApp, type TestApp, type TestBrowser } from "../harness/create-test-runtime";
import { driveSocialConsent } from "../harness/drive-social-consent";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function startSignIn(browser: TestBrowser, providerId: "google" | "meta"): Promise<string> {
  const res = await browser.request("/auth/sign-in/oauth2", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ providerId, callbackURL: "/app", errorCallbackURL: "/app/sign-in" }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { url: string; redirect: boolean };
  expect(body.redirect).toBe(true);
  return body.url;
}

async function session(browser: TestBrowser): Promise<{ user: { id: string; email: string; name: string; image: string | null } } | null> {
  return (await (await browser.request("/auth/get-session")).json()) as { user: { id: string; email: string; name: string; image: string | null } } | null;
}

describe("Sign in with Google (emulated OpenID Connect)", () => {
  it("creates the user from the verified id_token, signs in, stores no plaintext token; a second sign-in reuses the account", async () => {
    const browser = t.browser();
    const url = await startSignIn(browser, "google");
    const authorize = new URL(url);
    expect(authorize.pathname).toBe("/_emulator/google/o/oauth2/v2/auth");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("openid email profile");
    const callback = await driveSocialConsent(browser, url, { name: "Gina Google", email: "Gina@Gmail.com" });
    expect(new URL(callback).pathname).toBe("/auth/callback/google");
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/app");
    const s = await session(browser);
    expect(s!.user).toMatchObject({ email: "gina@gmail.com", name: "Gina Google" });
    expect(s!.user.id).toMatch(/^usr_/);

    const [account] = await t.runtime.database.db.select().from(authAccounts).where(eq(authAccounts.userId, s!.user.id));
    expect(account!.providerId).toBe("google");
    expect(account!.accountId).toBe(t.runtime.googleEmulator!.control.accounts()[0]!.sub);
    // Identity only: no provider token is kept.
    expect([account!.accessToken, account!.refreshToken, account!.idToken]).toEqual([null, null, null]);

    const again = t.browser();
    const sub = t.runtime.googleEmulator!.control.accounts()[0]!.sub;
    const second = await driveSocialConsent(again, await startSignIn(again, "google"), { account: sub });
    await again.request(second);
    expect((await session(again))!.user.id).toBe(s!.user.id);
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(1);
  });

  it("Cancel on the consent screen comes back with access_denied: no user, no session", async () => {
    const browser = t.browser();
    const callback = await driveSocialConsent(browser, await startSignIn(browser, "google"), { email: "no@gmail.com", decision: "cancel" });
    expect(new URL(callback).searchParams.get("error")).toBe("access_denied");
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toMatch(/\/app\/sign-in\?error=access_denied/);
    expect(await session(browser)).toBeNull();
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(0);
  });

  it("a 5xx from Google's token endpoint fails the sign-in cleanly: error redirect, no user", async () => {
    const browser = t.browser();
    const callback = await driveSocialConsent(browser, await startSignIn(browser, "google"), { email: "flaky@gmail.com" });
    t.runtime.googleEmulator!.control.injectFault({ pathPrefix: "/token", status: 503 });
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toContain("error=");
    expect(await session(browser)).toBeNull();
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(0);
  });

  it("a replayed callback (code already used, state consumed) signs nobody in", async () => {
    const browser = t.browser();
    const callback = await driveSocialConsent(browser, await startSignIn(browser, "google"), { email: "once@gmail.com" });
    await browser.request(callback);
    const attacker = t.browser();
    const replay = await attacker.request(callback);
    expect(replay.status).toBe(302);
    // No state cookie here, so no errorCallbackURL: the configured error URL (the
    // dashboard's sign-in page), never Better Auth's stock error page.
    expect(replay.headers.get("location")).toMatch(new RegExp(`^${t.config.publicUrl}/app/sign-in\\?error=`));
    expect(await session(attacker)).toBeNull();
  });
});

describe("Sign in with Facebook (emulated Meta Login)", () => {
  it("signs in through the Login dialog, the code exchange and /me", async () => {
    const browser = t.browser();
    const url = await startSignIn(browser, "meta");
    expect(new URL(url).pathname).toBe("/_emulator/meta/v23.0/dialog/oauth");
    const callback = await driveSocialConsent(browser, url, { name: "Mo Meta", email: "mo@example.com" });
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/app");
    const s = await session(browser);
    expect(s!.user).toMatchObject({ email: "mo@example.com", name: "Mo Meta" });
    const [account] = await t.runtime.database.db.select().from(authAccounts).where(eq(authAccounts.userId, s!.user.id));
    expect(account!.providerId).toBe("meta");
    expect(account!.accountId).toBe(t.runtime.metaEmulator!.control.users()[0]!.id);
    expect([account!.accessToken, account!.idToken]).toEqual([null, null]);
  });

  it("Cancel returns error=access_denied&error_reason=user_denied; no user", async () => {
    const browser = t.browser();
    const callback = await driveSocialConsent(browser, await startSignIn(browser, "meta"), { name: "No", decision: "cancel" });
    expect(new URL(callback).searchParams.get("error_reason")).toBe("user_denied");
    const done = await browser.request(callback);
    expect(done.headers.get("location")).toContain("error=");
    expect(await session(browser)).toBeNull();
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(0);
  });

  it("a 500 from the Graph API's /me fails the sign-in cleanly", async () => {
    const browser = t.browser();
    const callback = await driveSocialConsent(browser, await startSignIn(browser, "meta"), { name: "Flaky", email: "flaky@example.com" });
    t.runtime.metaEmulator!.control.injectFault({ pathPrefix: "/v23.0/me", status: 500, times: 3 });
    const done = await browser.request(callback);
    expect(done.headers.get("location")).toContain("error=");
    expect(await session(browser)).toBeNull();
  });
});
