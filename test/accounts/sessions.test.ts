import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authAccounts, authSessions, users } from "../../src/db/schema/index";
import { DEMO_USER_EMAIL, ensureDemoUser, erasePlatformUser, exportPlatformUser, readSessionActor } from "../../src/modules/accounts/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { cookiesFrom, requestAs, signUpUser } from "../harness/sign-up-user";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { BACKBEAT_DEMO_PASSWORD: "demo-password-0123" } });
});
afterEach(async () => {
  await t.close();
});

const json = (body: unknown, ip = "192.0.2.1"): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", "x-backbeat-client-ip": ip }, body: JSON.stringify(body) });

async function signIn(email: string, password: string, ip?: string): Promise<string> {
  const res = await requestAs(t, "", "/auth/sign-in/email", json({ email, password }, ip));
  expect(res.status).toBe(200);
  return [...cookiesFrom(res)].map(([k, v]) => `${k}=${v}`).join("; ");
}

describe("sessions", () => {
  it("sign out everywhere (revoke-sessions) ends every session of the user, and only theirs", async () => {
    const user = await signUpUser(t, { email: "multi@example.com" });
    const laptop = await signIn(user.email, user.password);
    const other = await signUpUser(t, { email: "bystander@example.com" });
    expect(await readSessionActor(t.runtime, new Headers({ cookie: laptop }))).not.toBeNull();

    const revoked = await user.fetch("/auth/revoke-sessions", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(revoked.status).toBe(200);
    expect(await readSessionActor(t.runtime, new Headers({ cookie: laptop }))).toBeNull();
    expect(await readSessionActor(t.runtime, new Headers({ cookie: user.cookieHeader }))).toBeNull();
    expect(await readSessionActor(t.runtime, new Headers({ cookie: other.cookieHeader }))).not.toBeNull();
  });

  it("session cookies are Secure when PUBLIC_URL is https", async () => {
    const secure = await createTestApp({ env: { PUBLIC_URL: "https://go.example.com" } });
    try {
      const res = await secure.app.request("https://go.example.com/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://go.example.com" },
        body: JSON.stringify({ name: "S", email: "s@example.com", password: "long enough password" }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().find((c) => c.includes("session_token="))!;
      expect(cookie).toMatch(/^__Secure-backbeat\.session_token=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await secure.close();
    }
  });

  it("password guessing is rate limited per client IP (429 + Retry-After), other IPs unaffected", async () => {
    const user = await signUpUser(t, { email: "target@example.com" });
    for (let i = 0; i < 10; i++) {
      const res = await requestAs(t, "", "/auth/sign-in/email", json({ email: user.email, password: `wrong password ${i}` }, "203.0.113.9"));
      expect(res.status).toBe(401);
    }
    const limited = await requestAs(t, "", "/auth/sign-in/email", json({ email: user.email, password: user.password }, "203.0.113.9"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await requestAs(t, "", "/auth/sign-in/email", json({ email: user.email, password: user.password }, "203.0.113.10"))).status).toBe(200);
  });

  it("a client cannot pick its rate-limit bucket on a real socket: the header is replaced by the socket address", async () => {
    // Simulates @hono/node-server's env: a socket is present, so the header is ignored.
    const env = { incoming: { socket: { remoteAddress: "198.51.100.99" } } };
    for (let i = 0; i < 10; i++) {
      await t.app.request(`${t.config.publicUrl}/auth/sign-in/email`, json({ email: "a@example.com", password: "wrong password" }, `203.0.113.${i + 20}`), env);
    }
    const res = await t.app.request(`${t.config.publicUrl}/auth/sign-in/email`, json({ email: "a@example.com", password: "wrong password" }, "203.0.113.200"), env);
    expect(res.status).toBe(429);
  });
});

describe("GET /auth/providers", () => {
  it("offers e-mail, magic link, and Google/Meta when configured or emulated", async () => {
    const res = await t.app.request(`${t.config.publicUrl}/auth/providers`);
    expect(await res.json()).toEqual({ email: true, magicLink: true, google: true, meta: true });
  });
});

describe("demo user", () => {
  it("is created once with the configured password, and sign-in works; re-running changes nothing", async () => {
    const ctx = t.runtime.ctxFor({ kind: "system" });
    const first = await ensureDemoUser({ ctx });
    expect(first).toMatchObject({ email: DEMO_USER_EMAIL, password: "demo-password-0123", created: true });
    expect(first.userId).toMatch(/^usr_/);
    const second = await ensureDemoUser({ ctx });
    expect(second).toMatchObject({ userId: first.userId, created: false });
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(1);
    expect(await t.runtime.database.db.select().from(authAccounts)).toHaveLength(1);
    await signIn(DEMO_USER_EMAIL, "demo-password-0123");
  });
});

describe("privacy hooks", () => {
  it("P18 (hooks): export lists profile, sign-in methods and sessions without hashes or tokens; erase removes the user with sessions and accounts, and only theirs", async () => {
    const user = await signUpUser(t, { name: "Eve", email: "eve@example.com" });
    const other = await signUpUser(t, { email: "keep@example.com" });
    const ctx = t.runtime.ctxFor({ kind: "system" });
    const exported = await exportPlatformUser({ ctx, input: { userId: user.userId } });
    expect(exported!.profile).toMatchObject({ id: user.userId, name: "Eve", email: "eve@example.com" });
    expect(exported!.signInMethods).toEqual([expect.objectContaining({ provider: "email_password", providerAccountId: null })]);
    expect(exported!.sessions).toHaveLength(1);
    const text = JSON.stringify(exported);
    const [account] = (await t.runtime.database.db.select().from(authAccounts)).filter((a) => a.userId === user.userId);
    const [session] = (await t.runtime.database.db.select().from(authSessions)).filter((s) => s.userId === user.userId);
    expect(text).not.toContain(account!.password!);
    expect(text).not.toContain(session!.token);
    expect(text).not.toContain(user.password);

    expect(await erasePlatformUser({ ctx, input: { userId: user.userId } })).toMatchObject({ erased: true });
    expect(await erasePlatformUser({ ctx, input: { userId: user.userId } })).toMatchObject({ erased: false });
    expect(await exportPlatformUser({ ctx, input: { userId: user.userId } })).toBeNull();
    expect(await readSessionActor(t.runtime, new Headers({ cookie: user.cookieHeader }))).toBeNull();
    const left = await t.runtime.database.db.select().from(authSessions);
    expect(left.map((s) => s.userId)).toEqual([other.userId]);
    expect((await t.runtime.database.db.select().from(authAccounts)).map((a) => a.userId)).toEqual([other.userId]);
  });
});
