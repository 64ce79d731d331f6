import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { users } from "../../src/db/schema/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

interface InboxMail { id: string; to: string[]; subject: string; html: string; text: string; from: string }

async function inbox(to: string): Promise<InboxMail[]> {
  const res = await t.app.request(`${t.config.publicUrl}/_emulator/resend/_control/emails?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { emails: InboxMail[] }).emails;
}

describe("magic link", () => {
  it("mails a one-time link through Resend; opening it signs in (creating the user) and lands on the callback", async () => {
    const browser = t.browser();
    const asked = await browser.request("/auth/sign-in/magic-link", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "Mia@Example.com", callbackURL: "/app" }),
    });
    expect(asked.status).toBe(200);
    const [mail] = await inbox("mia@example.com");
    expect(mail!.subject).toBe("Your Backbeat sign-in link");
    expect(mail!.from).toBe("Backbeat <no-reply@backbeat.local>");
    const link = /https?:\/\/\S+\/auth\/magic-link\/verify\?\S+/.exec(mail!.text)![0];
    expect(mail!.html).toContain(link.replace(/&/g, "&amp;"));

    // The inbox page lists it, and the mail page shows the link clickable.
    const page = await (await t.app.request(`${t.config.publicUrl}/_emulator/resend/`)).text();
    expect(page).toContain("Your Backbeat sign-in link");
    const mailPage = await (await t.app.request(`${t.config.publicUrl}/_emulator/resend/inbox/${mail!.id}`)).text();
    expect(mailPage).toContain(`<a href="${link.replace(/&/g, "&amp;")}">`);
    expect(mailPage).toContain('sandbox="allow-popups');

    const opened = await browser.request(link);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`${t.config.publicUrl}/app`);
    const session = (await (await browser.request("/auth/get-session")).json()) as { user: { email: string; emailVerified: boolean } };
    expect(session.user).toMatchObject({ email: "mia@example.com", emailVerified: true });

    // Single use: the same link again signs nobody in.
    const other = t.browser();
    const replay = await other.request(link);
    expect(replay.headers.get("location") ?? "").toContain("error=");
    expect(await (await other.request("/auth/get-session")).json()).toBeNull();
    expect(await t.runtime.database.db.select().from(users)).toHaveLength(1);
  });

  it("refuses a bad e-mail without sending anything", async () => {
    const browser = t.browser();
    const res = await browser.request("/auth/sign-in/magic-link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "nope", callbackURL: "/app" }) });
    expect(res.status).toBe(400);
    expect(t.runtime.resendEmulator!.control.emails()).toHaveLength(0);
  });

  it("refuses a callbackURL on another origin (open redirect)", async () => {
    const browser = t.browser();
    const res = await browser.request("/auth/sign-in/magic-link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x@example.com", callbackURL: "https://evil.example/" }) });
    expect(res.status).toBe(403);
    expect(t.runtime.resendEmulator!.control.emails()).toHaveLength(0);
  });

  it("is rate limited per client IP: the sixth request in a minute gets 429 with Retry-After", async () => {
    const ask = (ip: string) =>
      t.browser().request("/auth/sign-in/magic-link", {
        method: "POST",
        headers: { "content-type": "application/json", "x-backbeat-client-ip": ip },
        body: JSON.stringify({ email: "flood@example.com", callbackURL: "/app" }),
      });
    for (let i = 0; i < 5; i++) expect((await ask("198.51.100.7")).status).toBe(200);
    const limited = await ask("198.51.100.7");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await ask("198.51.100.8")).status).toBe(200);
    t.clock.advance(61_000);
    expect((await ask("198.51.100.7")).status).toBe(200);
  });
});

describe("e-mail verification and magic links", () => {
  const json = { "content-type": "application/json" };
  const signUp = (browser: ReturnType<TestApp["browser"]>, email: string) =>
    browser.request("/auth/sign-up/email", { method: "POST", headers: json, body: JSON.stringify({ name: "Vera", email, password: "correct horse battery" }) });
  const signIn = (email: string) =>
    t.browser().request("/auth/sign-in/email", { method: "POST", headers: json, body: JSON.stringify({ email, password: "correct horse battery" }) });
  async function useMagicLink(email: string): Promise<void> {
    const browser = t.browser();
    expect((await browser.request("/auth/sign-in/magic-link", { method: "POST", headers: json, body: JSON.stringify({ email, callbackURL: "/app" }) })).status).toBe(200);
    const mail = (await inbox(email)).find((m) => m.subject === "Your Backbeat sign-in link")!;
    const opened = await browser.request(/https?:\/\/\S+\/auth\/magic-link\/verify\?\S+/.exec(mail.text)![0]);
    expect(opened.headers.get("location")).toBe(`${t.config.publicUrl}/app`);
  }

  it("sign-up mails a verification link; a verified account keeps its password after a magic link", async () => {
    const browser = t.browser();
    expect((await signUp(browser, "vera@example.com")).status).toBe(200);
    // Unverified users may sign in.
    expect((await signIn("vera@example.com")).status).toBe(200);
    const [mail] = await inbox("vera@example.com");
    expect(mail!.subject).toBe("Confirm your e-mail for Backbeat");
    const link = /https?:\/\/\S+\/auth\/verify-email\?\S+/.exec(mail!.text)![0];
    expect(mail!.html).toContain(link.replace(/&/g, "&amp;"));
    expect((await browser.request(link)).status).toBe(302);
    const session = (await (await browser.request("/auth/get-session")).json()) as { user: { emailVerified: boolean } };
    expect(session.user.emailVerified).toBe(true);

    await useMagicLink("vera@example.com");
    expect((await signIn("vera@example.com")).status).toBe(200);
  });

  it("a resend mails a new verification link", async () => {
    const browser = t.browser();
    await signUp(browser, "rex@example.com");
    const resent = await browser.request("/auth/send-verification-email", { method: "POST", headers: json, body: JSON.stringify({ email: "rex@example.com", callbackURL: "/app" }) });
    expect(resent.status).toBe(200);
    expect((await inbox("rex@example.com")).filter((m) => m.subject === "Confirm your e-mail for Backbeat")).toHaveLength(2);
  });

  it("an expired or used magic link lands on the dashboard sign-in page with an error code", async () => {
    const browser = t.browser();
    await browser.request("/auth/sign-in/magic-link", { method: "POST", headers: json, body: JSON.stringify({ email: "old@example.com", callbackURL: "/app", errorCallbackURL: "/app/sign-in" }) });
    const [mail] = await inbox("old@example.com");
    const link = /https?:\/\/\S+\/auth\/magic-link\/verify\?\S+/.exec(mail!.text)![0];
    await browser.request(link);
    const replay = await t.browser().request(link);
    expect(replay.headers.get("location")).toBe(`${t.config.publicUrl}/app/sign-in?error=INVALID_TOKEN`);
  });
});
