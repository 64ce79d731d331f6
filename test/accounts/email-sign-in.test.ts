import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authAccounts, authSessions, users } from "../../src/db/schema/index";
import { readSessionActor } from "../../src/modules/accounts/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { cookiesFrom, requestAs, signUpUser } from "../harness/sign-up-user";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function sessionCookie(response: Response): string {
  const [name, value] = [...cookiesFrom(response)].find(([k]) => k.endsWith("session_token"))!;
  return `${name}=${value}`;
}

describe("e-mail and password", () => {
  it("signs up: a usr_ user with a credential account and a ses_ session; HttpOnly, SameSite=Lax cookie", async () => {
    const response = await requestAs(t, "", "/auth/sign-up/email", json({ name: "Ada", email: "Ada@Example.com", password: "a long enough password" }));
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("backbeat.session_token="))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // PUBLIC_URL is http in tests
    const body = (await response.json()) as { user: { id: string; email: string } };
    expect(body.user.id).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(body.user.email).toBe("ada@example.com");

    const db = t.runtime.database.db;
    const [account] = await db.select().from(authAccounts).where(eq(authAccounts.userId, body.user.id));
    expect(account!.id).toMatch(/^acc_/);
    expect(account!.providerId).toBe("credential");
    expect(account!.password).not.toContain("a long enough password");
    const [session] = await db.select().from(authSessions).where(eq(authSessions.userId, body.user.id));
    expect(session!.id).toMatch(/^ses_/);
  });

  it("refuses a second sign-up with the same e-mail and changes nothing", async () => {
    await signUpUser(t, { email: "dup@example.com" });
    const again = await requestAs(t, "", "/auth/sign-up/email", json({ name: "X", email: "DUP@example.com", password: "another password 123" }));
    expect(again.status).toBe(422);
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(1);
  });

  it("refuses a short password and a bad e-mail without creating a user", async () => {
    const short = await requestAs(t, "", "/auth/sign-up/email", json({ name: "X", email: "x@example.com", password: "short" }));
    expect(short.status).toBe(400);
    const bad = await requestAs(t, "", "/auth/sign-up/email", json({ name: "X", email: "not-an-email", password: "long enough password" }));
    expect(bad.status).toBe(400);
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(0);
  });

  it("signs in with the right password; the wrong one gets 401 and no cookie", async () => {
    const user = await signUpUser(t, { email: "bo@example.com", password: "bo's strong password" });
    const wrong = await requestAs(t, "", "/auth/sign-in/email", json({ email: "bo@example.com", password: "bo's wrong password" }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie().some((c) => c.includes("session_token=") && !c.includes("session_token=;"))).toBe(false);
    const unknown = await requestAs(t, "", "/auth/sign-in/email", json({ email: "nobody@example.com", password: "bo's strong password" }));
    expect(unknown.status).toBe(401);

    const right = await requestAs(t, "", "/auth/sign-in/email", json({ email: "BO@example.com", password: "bo's strong password" }));
    expect(right.status).toBe(200);
    const cookie = sessionCookie(right);
    const session = await requestAs(t, cookie, "/auth/get-session");
    const body = (await session.json()) as { user: { id: string } };
    expect(body.user.id).toBe(user.userId);
  });

  it("get-session answers the user with a cookie and null without; readSessionActor agrees", async () => {
    const user = await signUpUser(t, { name: "Cy", email: "cy@example.com" });
    const me = await user.fetch("/auth/get-session");
    expect(me.status).toBe(200);
    expect(me.headers.get("cache-control")).toBe("no-store");
    const body = (await me.json()) as { user: { id: string; name: string }; session: { id: string } };
    expect(body.user).toMatchObject({ id: user.userId, name: "Cy" });

    const actor = await readSessionActor(t.runtime, new Headers({ cookie: user.cookieHeader }));
    expect(actor).toEqual({ kind: "user", userId: user.userId, sessionId: body.session.id, user: { id: user.userId, name: "Cy", email: "cy@example.com", image: null } });
    expect(await readSessionActor(t.runtime.auth, new Headers())).toBeNull();
    expect(await readSessionActor(t.runtime, new Headers({ cookie: "backbeat.session_token=forged.value" }))).toBeNull();

    const anonymous = await requestAs(t, "", "/auth/get-session");
    expect(await anonymous.json()).toBeNull();
  });

  it("signs out: the session is deleted and the cookie no longer works", async () => {
    const user = await signUpUser(t);
    const out = await user.fetch("/auth/sign-out", { method: "POST" });
    expect(out.status).toBe(200);
    expect(await readSessionActor(t.runtime, new Headers({ cookie: user.cookieHeader }))).toBeNull();
    expect(await (await user.fetch("/auth/get-session")).json()).toBeNull();
    expect(await t.runtime.database.db.select().from(authSessions)).toHaveLength(0);
  });

  it("refuses a cookie-carrying sign-out from a foreign origin (CSRF)", async () => {
    const user = await signUpUser(t);
    const forged = await user.fetch("/auth/sign-out", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(403);
    expect(await readSessionActor(t.runtime, new Headers({ cookie: user.cookieHeader }))).not.toBeNull();
  });
});
