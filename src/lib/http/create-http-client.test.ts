import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isProviderError, ProviderError } from "../provider-error";
import { computeBackoffMs, parseRetryAfterMs } from "./backoff";
import { createHttpClient, type HttpClientOptions } from "./create-http-client";
import { redactSecrets } from "./redact";
import { catchProviderError as caught } from "../../../test/harness/catch-provider-error";

type Reply = Response | Error | "hang";

/** A recorded-request fetch stub answering from a queue. */
function stubFetch(replies: Reply[]) {
  const calls: Array<{ method: string; url: string; headers: Headers; body: string }> = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    calls.push({ method: req.method, url: req.url, headers: req.headers, body: await req.clone().text() });
    const next = replies.shift() ?? new Response("no reply queued", { status: 599 });
    if (next === "hang") return new Promise<Response>(() => undefined);
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function client(replies: Reply[], extra: Partial<HttpClientOptions> = {}) {
  const stub = stubFetch(replies);
  const sleeps: number[] = [];
  const http = createHttpClient({
    provider: "acme",
    baseUrl: "https://api.acme.test/v1",
    fetch: stub.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse("2026-11-29T12:00:00Z"),
    ...extra,
  });
  return { http, calls: stub.calls, sleeps };
}

const okSchema = z.object({ ok: z.literal(true) });


describe("createHttpClient", () => {
  it("joins base URL and path, sends query, validates the body", async () => {
    const { http, calls } = client([json({ ok: true, extra: 1 })]);
    const out = await http.request({ method: "GET", path: "/me/things", query: { a: "x,y", b: 2, skip: undefined }, schema: okSchema });
    expect(out).toEqual({ ok: true });
    expect(calls[0]?.url).toBe("https://api.acme.test/v1/me/things?a=x%2Cy&b=2");
  });

  it("returns undefined for an empty 204", async () => {
    const { http } = client([new Response(null, { status: 204 })]);
    await expect(http.request({ method: "PUT", path: "/x", schema: z.unknown() })).resolves.toBeUndefined();
  });

  it("retries 5xx on idempotent requests with capped exponential backoff + jitter", async () => {
    const { http, calls, sleeps } = client([json({}, 503), json({}, 502), json({ ok: true })]);
    await expect(http.request({ method: "GET", path: "/x", schema: okSchema })).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    // random 0.5 × min(4000, 250·2^n)
    expect(sleeps).toEqual([125, 250]);
  });

  it("gives up after the retry budget with `unavailable` (retryable)", async () => {
    const { http, calls } = client([json({}, 500), json({}, 500), json({}, 500)]);
    const err = await caught(http.request({ method: "GET", path: "/x", schema: okSchema }));
    expect(err.kind).toBe("unavailable");
    expect(err.status).toBe(500);
    expect(err.retryable).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it("does not retry a POST after a 5xx", async () => {
    const { http, calls, sleeps } = client([json({}, 503), json({ ok: true })]);
    const err = await caught(http.request({ method: "POST", path: "/x", json: { a: 1 }, schema: okSchema }));
    expect(err.kind).toBe("unavailable");
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("retries network errors and maps them to `unavailable`", async () => {
    const { http, calls } = client([new TypeError("fetch failed"), new TypeError("fetch failed"), new TypeError("fetch failed")]);
    const err = await caught(http.request({ method: "GET", path: "/x", schema: okSchema }));
    expect(err.kind).toBe("unavailable");
    expect(err.status).toBeUndefined();
    expect(calls).toHaveLength(3);
  });

  it("maps a timeout to `unavailable`", async () => {
    const { http, calls } = client(["hang", "hang"], { timeoutMs: 20, retries: 1 });
    const err = await caught(http.request({ method: "GET", path: "/x", schema: okSchema }));
    expect(err.kind).toBe("unavailable");
    expect(err.message).toContain("timeout");
    expect(calls).toHaveLength(2);
  });

  it("honours a short Retry-After on 429 (seconds), even for POST", async () => {
    const { http, sleeps } = client([json({}, 429, { "retry-after": "2" }), json({ ok: true })]);
    await expect(http.request({ method: "POST", path: "/x", schema: okSchema })).resolves.toEqual({ ok: true });
    expect(sleeps).toEqual([2000]);
  });

  it("honours an HTTP-date Retry-After", async () => {
    const { http, sleeps } = client([json({}, 429, { "retry-after": "Sun, 29 Nov 2026 12:00:03 GMT" }), json({ ok: true })]);
    await http.request({ method: "GET", path: "/x", schema: okSchema });
    expect(sleeps).toEqual([3000]);
  });

  it("raises `rate_limited` with retryAfterMs instead of sleeping past the max wait", async () => {
    const { http, calls, sleeps } = client([json({ error: { status: 429, message: "API rate limit exceeded" } }, 429, { "retry-after": "120" })]);
    const err = await caught(http.request({ method: "GET", path: "/x", schema: okSchema }));
    expect(err.kind).toBe("rate_limited");
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.retryable).toBe(true);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("raises `rate_limited` when 429s outlast the retry budget", async () => {
    const r = () => json({}, 429, { "retry-after": "1" });
    const { http, sleeps } = client([r(), r(), r()]);
    const err = await caught(http.request({ method: "GET", path: "/x", schema: okSchema }));
    expect(err.kind).toBe("rate_limited");
    expect(err.retryAfterMs).toBe(1000);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("never lets a classifier turn a 5xx into another kind", async () => {
    const { http } = client([json({ error: "invalid_grant" }, 500)], { retries: 0, classify: () => ({ kind: "invalid_grant" }) });
    const err = await caught(http.request({ method: "POST", path: "/token", schema: okSchema }));
    expect(err.kind).toBe("unavailable");
  });

  it("maps 4xx through the classifier, else by status", async () => {
    const { http } = client([json({ error: "invalid_grant" }, 400), json({}, 404), json({}, 401)], {
      classify: (f) => (f.status === 400 ? { kind: "invalid_grant", detail: "revoked" } : undefined),
    });
    const a = await caught(http.request({ method: "POST", path: "/token", schema: okSchema }));
    expect([a.kind, a.retryable, a.message]).toEqual(["invalid_grant", false, "acme: POST /token → 400: revoked"]);
    expect((await caught(http.request({ method: "GET", path: "/x", schema: okSchema }))).kind).toBe("not_found");
    expect((await caught(http.request({ method: "GET", path: "/x", schema: okSchema }))).kind).toBe("unauthorized");
  });

  it("raises `invalid_response` without echoing body values", async () => {
    const { http } = client([json({ ok: "sk_live_should_not_leak" })]);
    const err = await caught(http.request({ method: "GET", path: "/x", schema: okSchema }));
    expect(err.kind).toBe("invalid_response");
    expect(err.message).toContain("ok");
    expect(err.message).not.toContain("sk_live_should_not_leak");
  });

  it("settles when the server answers without reading the request body", async () => {
    // An in-process app (the emulator) may refuse a PUT before reading its JSON body.
    const http = createHttpClient({
      provider: "acme",
      baseUrl: "https://api.acme.test/v1",
      fetch: (async () => json({ error: { status: 403, message: "Forbidden" } }, 403)) as typeof fetch,
    });
    const err = await caught(http.request({ method: "PUT", path: "/x", json: { a: 1 }, schema: okSchema }));
    expect(err.kind).toBe("forbidden");
  });

  it("redacts credentials from messages, JSON and cause", async () => {
    const token = "BQD-access-token-abcdef123456";
    const refresh = "AQB-refresh-token-zyx987";
    const { http } = client(
      [
        json({ error: { status: 400, message: `bad token ${token} and ${refresh}` } }, 400),
        new TypeError(`connect failed Authorization: Bearer ${token}`),
      ],
      { retries: 0, secrets: ["client-secret-value"] },
    );
    const a = await caught(
      http.request({ method: "POST", path: "/t", form: { refresh_token: refresh }, headers: { authorization: `Bearer ${token}` }, schema: okSchema }),
    );
    const b = await caught(http.request({ method: "GET", path: "/t", headers: { authorization: `Bearer ${token}` }, schema: okSchema }));
    for (const err of [a, b]) {
      const everything = [err.message, err.stack ?? "", JSON.stringify(err), String(err.cause), JSON.stringify(err.cause ?? null)].join("\n");
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(refresh);
    }
    expect(a.message).toContain("[redacted]");
    expect(isProviderError(b, "unavailable")).toBe(true);
  });
});

describe("backoff and redaction helpers", () => {
  it("caps the backoff", () => {
    expect(computeBackoffMs({ attempt: 20, baseMs: 250, maxMs: 4000, random: () => 0.999 })).toBeLessThanOrEqual(4000);
    expect(computeBackoffMs({ attempt: 0, baseMs: 250, maxMs: 4000, random: () => 0 })).toBe(0);
  });

  it("parses Retry-After", () => {
    expect(parseRetryAfterMs("3", 0)).toBe(3000);
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
    expect(parseRetryAfterMs("soon", 0)).toBeUndefined();
    expect(parseRetryAfterMs("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000);
  });

  it("scrubs bearer credentials even when not listed", () => {
    expect(redactSecrets("Authorization: Bearer abc.def-ghi", [])).toBe("Authorization: Bearer [redacted]");
  });
});
