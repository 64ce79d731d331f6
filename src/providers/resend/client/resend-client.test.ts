import { describe, expect, it } from "vitest";
import type { ResendConfig } from "../../../config";
import { createFakeClock } from "../../../lib/clock";
import { ProviderError } from "../../../lib/provider-error";
import { createResendEmulator } from "../emulator/index";
import { createResendMailer } from "./create-resend-mailer";

const BASE = "http://resend.test";
const KEY = "re_test_key_0123456789";

function setup(overrides: Partial<ResendConfig> = {}) {
  const emulator = createResendEmulator({ clock: createFakeClock(), apiKey: KEY, basePath: "" });
  const sleeps: number[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    return emulator.app.fetch(new Request(`http://emu${url.pathname}${url.search}`, request));
  };
  const mailer = createResendMailer(
    { mode: "emulated", apiKey: KEY, apiUrl: BASE, from: "Backbeat <no-reply@example.com>", ...overrides },
    { fetch: fetchImpl, sleep: async (ms) => void sleeps.push(ms) },
  );
  return { emulator, mailer, sleeps };
}

const mail = { to: "ada@example.com", subject: "Hi", html: "<p>Hi</p>", text: "Hi" };

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error("expected a ProviderError");
}

describe("Resend client against the Resend emulator", () => {
  it("sends: POST /emails with Bearer key → { id }; the emulator records from, to, subject, html and text", async () => {
    const { emulator, mailer } = setup();
    const { id } = await mailer.sendEmail(mail);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.control.emails()).toEqual([expect.objectContaining({ id, from: "Backbeat <no-reply@example.com>", to: ["ada@example.com"], subject: "Hi", html: "<p>Hi</p>", text: "Hi" })]);
  });

  it("the same Idempotency-Key replays the first id and sends once; a different body under it is refused (409)", async () => {
    const { emulator, mailer } = setup();
    const first = await mailer.sendEmail({ ...mail, idempotencyKey: "welcome/usr_1" });
    const again = await mailer.sendEmail({ ...mail, idempotencyKey: "welcome/usr_1" });
    expect(again.id).toBe(first.id);
    expect(emulator.control.emails()).toHaveLength(1);
    const err = await failure(mailer.sendEmail({ ...mail, subject: "Other", idempotencyKey: "welcome/usr_1" }));
    expect(err.kind).toBe("bad_request");
    expect(err.status).toBe(409);
    expect(err.message).toContain("invalid_idempotent_request");
    expect(emulator.control.emails()).toHaveLength(1);
  });

  it("a bad recipient is a 422 validation_error (bad_request), nothing sent", async () => {
    const { emulator, mailer } = setup();
    const err = await failure(mailer.sendEmail({ ...mail, to: "not-an-address" }));
    expect(err).toMatchObject({ kind: "bad_request", status: 422 });
    expect(err.message).toContain("validation_error");
    expect(emulator.control.emails()).toHaveLength(0);
  });

  it("a wrong API key is unauthorized, and the key never appears in the error", async () => {
    const { mailer } = setup({ apiKey: "re_wrong_key_9876543210" });
    const err = await failure(mailer.sendEmail(mail));
    expect(err).toMatchObject({ kind: "unauthorized", status: 401 });
    expect(err.message).not.toContain("re_wrong_key_9876543210");
  });

  it("429 with a long Retry-After is raised as rate_limited with retryAfterMs; a short one is waited out", async () => {
    const { emulator, mailer, sleeps } = setup();
    emulator.control.injectFault({ status: 429, retryAfterSeconds: 60 });
    const err = await failure(mailer.sendEmail(mail));
    expect(err).toMatchObject({ kind: "rate_limited", retryAfterMs: 60_000 });
    emulator.control.injectFault({ status: 429, retryAfterSeconds: 1 });
    await mailer.sendEmail(mail);
    expect(sleeps).toContain(1000);
    expect(emulator.control.emails()).toHaveLength(1);
  });

  it("the emulator's opt-in rate limit answers 429 rate_limit_exceeded in Resend's error shape", async () => {
    const { emulator } = setup();
    emulator.control.setRateLimit({ maxRequests: 1, windowSeconds: 1 });
    const send = () => emulator.app.request("/emails", { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify({ from: "a@example.com", to: "b@example.com", subject: "s", text: "t" }) });
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
  });

  it("a 500 without an idempotency key is not retried (it could have sent); with a key it is retried safely", async () => {
    const { emulator, mailer } = setup();
    emulator.control.injectFault({ status: 500 });
    expect((await failure(mailer.sendEmail(mail))).kind).toBe("unavailable");
    emulator.control.injectFault({ status: 500 });
    await mailer.sendEmail({ ...mail, idempotencyKey: "k-1" });
    expect(emulator.control.emails()).toHaveLength(1);
  });

  it("missing fields are 422 missing_required_field", async () => {
    const { emulator } = setup();
    const res = await emulator.app.request("/emails", { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify({ to: "b@example.com" }) });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ statusCode: 422, name: "missing_required_field", message: "Missing `from` field." });
    const noKey = await emulator.app.request("/emails", { method: "POST", body: "{}" });
    expect(await noKey.json()).toMatchObject({ statusCode: 401, name: "missing_api_key" });
  });
});
