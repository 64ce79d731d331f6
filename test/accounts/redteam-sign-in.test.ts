import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authAccounts, users } from "../../src/db/schema/index";
import { createTestApp, type TestApp, type TestBrowser } from "../harness/create-test-runtime";
import { driveSocialConsent } from "../harness/drive-social-consent";
import { cookiesFrom, requestAs, signUpUser } from "../harness/sign-up-user";

/* Red-team findings on sign-in (Better Auth): each test failed before its fix. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function signInWithMagicLink(email: string): Promise<string> {
  const browser = t.browser();
  expect((await browser.request("/auth/sign-in/magic-link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, callbackURL: "/app" }) })).status).toBe(200);
  const mail = t.runtime.resendEmulator!.control.emails({ to: email }).at(-1)!;
  const link = /https?:\/\/\S+\/auth\/magic-link\/verify\?\S+/.exec(mail.text!)![0];
  await browser.request(link);
  const session = (await (await browser.request("/auth/get-session")).json()) as { user: { id: string; emailVerified: boolean } };
  expect(session.user.emailVerified).toBe(true);
  return session.user.id;
}

async function googleSignIn(browser: TestBrowser, account: string): Promise<Response> {
  const started = await browser.request("/auth/sign-in/oauth2", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ providerId: "google", callbackURL: "/app", errorCallbackURL: "/app/sign-in" }) });
  const { url } = (await started.json()) as { url: string };
  return browser.request(await driveSocialConsent(browser, url, { account }));
}

describe("red team: account linking (P05)", () => {
  it("P05: a Google account whose e-mail Google has NOT verified cannot take over an existing Backbeat user with that e-mail", async () => {
    const victimId = await signInWithMagicLink("victim@example.com");
    const attackerGoogle = t.runtime.googleEmulator!.control.createAccount({ email: "victim@example.com", name: "Mallory", emailVerified: false });
    const attacker = t.browser();
    const done = await googleSignIn(attacker, attackerGoogle.sub);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toContain("error=");
    const session = (await (await attacker.request("/auth/get-session")).json()) as { user: { id: string } } | null;
    expect(session?.user.id).not.toBe(victimId);
    expect(session).toBeNull();
    expect(await t.runtime.database.db.select().from(authAccounts).where(eq(authAccounts.userId, victimId))).toHaveLength(0);
  });

  it("a Google account with the same, Google-verified e-mail still links to the existing verified user", async () => {
    const userId = await signInWithMagicLink("vera@example.com");
    const google = t.runtime.googleEmulator!.control.createAccount({ email: "vera@example.com", name: "Vera", emailVerified: true });
    const browser = t.browser();
    const done = await googleSignIn(browser, google.sub);
    expect(done.headers.get("location")).toBe("/app");
    expect(((await (await browser.request("/auth/get-session")).json()) as { user: { id: string } }).user.id).toBe(userId);
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(1);
  });

  it("P05: a password sign-up nobody verified is not linked by Google, and a magic link to the real owner drops the squatter's password", async () => {
    // Pre-account takeover: Mallory registers the victim's address with her own password.
    const squatter = await signUpUser(t, { email: "owner@example.com", password: "mallory knows this 1" });
    const google = t.runtime.googleEmulator!.control.createAccount({ email: "owner@example.com", emailVerified: true });
    const viaGoogle = await googleSignIn(t.browser(), google.sub);
    expect(viaGoogle.headers.get("location")).toContain("error=");
    // The owner proves the mailbox with a magic link: Mallory's password must stop working.
    expect(await signInWithMagicLink("owner@example.com")).toBe(squatter.userId);
    const retry = await t.app.request(`${t.config.publicUrl}/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: t.config.publicUrl, "x-backbeat-client-ip": "2001:db8::99" }, body: JSON.stringify({ email: "owner@example.com", password: "mallory knows this 1" }) });
    expect(retry.status).toBe(401);
    const old = await squatter.fetch("/api/v1/me");
    expect(old.status).toBe(401);
  });
});

describe("red team: the session token stays in its HttpOnly cookie (P02)", () => {
  it("P02: sign-up, sign-in, get-session and list-sessions answer without the session token", async () => {
    const signUp = await requestAs(t, "", "/auth/sign-up/email", { method: "POST", headers: { "content-type": "application/json", "x-backbeat-client-ip": "2001:db8::71" }, body: JSON.stringify({ name: "Tess", email: "tess@example.com", password: "correct horse battery" }) });
    const signUpText = await signUp.text();
    const cookie = [...cookiesFrom(signUp)].find(([k]) => k.endsWith("session_token"))!;
    const token = decodeURIComponent(cookie[1]).split(".")[0]!;
    expect(token.length).toBeGreaterThan(20);
    expect(signUpText).not.toContain(token);
    const header = `${cookie[0]}=${cookie[1]}`;
    const signIn = await requestAs(t, "", "/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", "x-backbeat-client-ip": "2001:db8::71" }, body: JSON.stringify({ email: "tess@example.com", password: "correct horse battery" }) });
    const secondToken = decodeURIComponent([...cookiesFrom(signIn)].find(([k]) => k.endsWith("session_token"))![1]).split(".")[0]!;
    const answers = [await signIn.text()];
    for (const path of ["/auth/get-session", "/auth/list-sessions"]) {
      const res = await requestAs(t, header, path);
      expect(res.status).toBe(200);
      answers.push(await res.text());
    }
    for (const text of answers) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secondToken);
    }
    // The answers still say who is signed in.
    expect(JSON.parse(answers[1]!)).toMatchObject({ user: { email: "tess@example.com" }, session: { id: expect.stringMatching(/^ses_/) } });
    expect(JSON.parse(answers[2]!)).toHaveLength(2);
  });
});

describe("red team: Better Auth's own profile endpoints keep our rules", () => {
  it("sign-up and update-user refuse a name over 100 characters or with a NUL or lone surrogate, and an image that is not https (400, nothing changes)", async () => {
    const long = await requestAs(t, "", "/auth/sign-up/email", { method: "POST", headers: { "content-type": "application/json", "x-backbeat-client-ip": "2001:db8::72" }, body: JSON.stringify({ name: "A".repeat(20_000), email: "long@example.com", password: "correct horse battery" }) });
    expect(long.status).toBe(400);
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(0);
    const user = await signUpUser(t, { name: "Una" });
    for (const body of [{ name: "B".repeat(101) }, { name: "a\u0000b" }, { name: "lone \ud800" }, { image: "javascript:alert(1)" }, { image: "http://tracker.example/p.gif" }]) {
      const res = await user.fetch("/auth/update-user", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect([JSON.stringify(body).slice(0, 40), res.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
    }
    const [row] = await t.runtime.database.db.select().from(users).where(eq(users.id, user.userId));
    expect([row!.name, row!.image]).toEqual(["Una", null]);
    const ok = await user.fetch("/auth/update-user", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Una B", image: "https://cdn.example/u.png" }) });
    expect(ok.status).toBe(200);
  });
});

describe("red team: OAuth state is bound to the browser that started the flow (P03)", () => {
  it("P03: a fresh Google callback opened in another browser (login CSRF) signs nobody in", async () => {
    const attacker = t.browser();
    const started = await attacker.request("/auth/sign-in/oauth2", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ providerId: "google", callbackURL: "/app", errorCallbackURL: "/app/sign-in" }) });
    const { url } = (await started.json()) as { url: string };
    const callback = await driveSocialConsent(attacker, url, { email: "attacker@gmail.com" });
    const victim = t.browser();
    const planted = await victim.request(callback);
    expect(planted.status).toBe(302);
    expect(planted.headers.get("location")).toContain("error=");
    expect(await (await victim.request("/auth/get-session")).json()).toBeNull();
  });
});

describe("red team: links in mail come from PUBLIC_URL (P03)", () => {
  it("P03: a magic link asked for with a forged Host / X-Forwarded-Host still points at PUBLIC_URL", async () => {
    const res = await t.app.request("http://evil.example/auth/sign-in/magic-link", {
      method: "POST",
      headers: { "content-type": "application/json", origin: t.config.publicUrl, host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-backbeat-client-ip": "2001:db8::81" },
      body: JSON.stringify({ email: "hosty@example.com", callbackURL: "/app" }),
    });
    expect(res.status).toBe(200);
    const mail = t.runtime.resendEmulator!.control.emails({ to: "hosty@example.com" }).at(-1)!;
    expect(mail.text).toContain(`${t.config.publicUrl}/auth/magic-link/verify?`);
    expect(`${mail.text}${mail.html}`).not.toContain("evil.example");
  });
});

describe("red team: /auth bad input is a 400, never a 500", () => {
  it("a NUL or lone surrogate anywhere in an /auth JSON body is a 400 naming the field", async () => {
    const user = await signUpUser(t, { name: "Nia" });
    const revoke = await user.fetch("/auth/revoke-session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: "a\u0000b" }) });
    expect(revoke.status).toBe(400);
    expect(((await revoke.json()) as { message: string }).message).toMatch(/^token: /);
    const signUp = await requestAs(t, "", "/auth/sign-up/email", { method: "POST", headers: { "content-type": "application/json", "x-backbeat-client-ip": "2001:db8:77::1" }, body: JSON.stringify({ name: "ok", email: "sur@example.com", password: "pass \ud800 word 123" }) });
    expect(signUp.status).toBe(400);
    // Ordinary requests still reach Better Auth with their body intact.
    expect((await user.fetch("/auth/update-user", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Nia 😀" }) })).status).toBe(200);
  });
});
