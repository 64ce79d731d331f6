import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeClock, type FakeClock } from "../../src/lib/clock";
import { createGoogleDataManager } from "../../src/providers/google/client/index";
import { createGoogleDataManagerEmulator } from "../../src/providers/google/emulator/datamanager/index";
import { createMetaConversions } from "../../src/providers/meta/client/index";
import { createMetaConversionsEmulator } from "../../src/providers/meta/emulator/conversions/index";
import { createRedditConversions } from "../../src/providers/reddit/client/index";
import { createRedditEmulator } from "../../src/providers/reddit/emulator/index";
import type { SinkEvent } from "../../src/providers/conversion-sink/port";
import type { Hono } from "hono";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const fetchFor = (app: Hono, base: string): typeof fetch => async (input, init) => {
  const req = new Request(input, init);
  const url = new URL(req.url);
  url.pathname = url.pathname.slice(new URL(base).pathname.length) || "/";
  return app.fetch(new Request(url, req));
};

let clock: FakeClock;
beforeEach(() => {
  clock = createFakeClock("2026-11-29T12:00:00Z");
});
afterEach(() => undefined);

function event(over: Partial<SinkEvent> = {}): SinkEvent {
  return {
    eventId: "evt_01",
    eventName: "Subscribe",
    eventTimeMs: clock.now().getTime() - 60_000,
    sourceUrl: "https://go.example.com/a/b",
    clickIds: { fbc: "fb.1.1764417600000.IwAR2abc", gclid: "Cj0KCQiA_gclid_1", rdtCid: "rdtcid123456" },
    hashed: { externalId: [sha("fan_1")] },
    ...over,
  };
}

describe("Meta Conversions API emulator (strict) + client", () => {
  const base = "http://emu.test/capi/v23.0";
  function setup(opts: { timeoutMs?: number } = {}) {
    const emu = createMetaConversionsEmulator({ clock });
    emu.control.registerPixel({ pixelId: "1234567", accessToken: "meta-token-xyz" });
    const sink = createMetaConversions({ graphUrl: base, clock, fetch: fetchFor(emu.app, "http://emu.test/capi"), ...opts });
    const dest = { accountId: "1234567", accessToken: "meta-token-xyz" };
    const post = (body: unknown) => emu.app.request("/v23.0/1234567/events", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ access_token: "meta-token-xyz", ...(body as object) }) });
    return { emu, sink, dest, post };
  }
  const valid = () => ({ event_name: "Lead", event_time: Math.floor(clock.now().getTime() / 1000) - 10, event_id: "e1", action_source: "website", event_source_url: "https://x.test/", user_data: { em: [sha("a@b.co")], fbc: "fb.1.1764417600000.abc", client_ip_address: "203.0.113.7", client_user_agent: "Mozilla/5.0 (iPhone)" } });

  it("rejects event_time in milliseconds, older than 7 days, and unhashed e-mails (whole request, Graph error body)", async () => {
    const { emu, post } = setup();
    const ms = await post({ data: [{ ...valid(), event_time: clock.now().getTime() }] });
    expect(ms.status).toBe(400);
    expect(((await ms.json()) as { error: { error_user_title: string } }).error.error_user_title).toBe("Event Timestamp In Milliseconds");
    const stale = await post({ data: [valid(), { ...valid(), event_time: Math.floor(clock.now().getTime() / 1000) - 8 * 86_400 }] });
    expect(((await stale.json()) as { error: { code: number; error_subcode: number } }).error).toMatchObject({ code: 100, error_subcode: 2804003 });
    const raw = await post({ data: [{ ...valid(), user_data: { em: ["a@b.co"] } }] });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain("must be SHA-256 hashed");
    const noSource = await post({ data: [{ ...valid(), action_source: undefined }] });
    expect(noSource.status).toBe(400);
    expect(emu.control.events()).toHaveLength(0);
    const tooMany = await post({ data: Array.from({ length: 1001 }, valid) });
    expect(tooMany.status).toBe(400);
  });

  it("website events need client_user_agent; the IP and user agent must be raw (a hashed IP is refused); a value needs its currency", async () => {
    const { emu, post } = setup();
    const noUa = await post({ data: [{ ...valid(), user_data: { fbc: "fb.1.1764417600000.abc" } }] });
    expect(noUa.status).toBe(400);
    expect(await noUa.text()).toContain("client_user_agent is required for website events");
    // Not a website event: no user agent needed.
    expect((await post({ data: [{ ...valid(), event_id: "e-other", action_source: "other", user_data: { fbc: "fb.1.1764417600000.abc" } }] })).status).toBe(200);
    expect((await post({ data: [{ ...valid(), user_data: { ...valid().user_data, client_ip_address: sha("203.0.113.7") } }] })).status).toBe(400);
    expect((await post({ data: [{ ...valid(), user_data: { ...valid().user_data, client_user_agent: sha("ua") } }] })).status).toBe(400);
    expect((await post({ data: [{ ...valid(), custom_data: { value: 2.5 } }] })).status).toBe(400);
    expect(emu.control.events()).toHaveLength(1);
  });

  it("accepts a valid batch: { events_received, messages, fbtrace_id }; test events flagged; dedupe by event_name + event_id", async () => {
    const { emu, post } = setup();
    const ok = await post({ data: [valid()], test_event_code: "TEST123" });
    expect(await ok.json()).toMatchObject({ events_received: 1, messages: [], fbtrace_id: expect.any(String) });
    expect(emu.control.events()[0]).toMatchObject({ testEventCode: "TEST123" });
    await post({ data: [valid()] });
    const again = await post({ data: [valid()] });
    expect(((await again.json()) as { messages: string[] }).messages).toEqual(["event_id e1 deduplicated"]);
    // Same event_id under another event_name is a different event.
    const other = await post({ data: [{ ...valid(), event_name: "Purchase" }] });
    expect(((await other.json()) as { messages: string[] }).messages).toEqual([]);
  });

  it("client: a stale event is rejected by the emulator with Meta's reason; a timeout is retryable", async () => {
    const { sink, dest, emu } = setup({ timeoutMs: 50 });
    const stale = await sink.send({ destination: dest, events: [event({ eventTimeMs: clock.now().getTime() - 8 * 86_400_000 })] });
    expect(stale.outcomes[0]).toMatchObject({ status: "rejected", reason: expect.stringContaining("Event Timestamp Too Old") });
    expect(stale.excerpt).not.toContain("meta-token-xyz");
    emu.control.injectFault({ status: "timeout", delayMs: 300 });
    const slow = await sink.send({ destination: dest, events: [event()] });
    expect(slow.outcomes[0]).toMatchObject({ status: "retry", reason: "unavailable" });
    // Two events, one bad: Meta refuses both → `unsent` (the worker resends them alone).
    const mixed = await sink.send({ destination: dest, events: [event(), event({ eventId: "evt_02", eventTimeMs: 1 })] });
    expect(mixed.outcomes.map((o) => o.status)).toEqual(["unsent", "unsent"]);
  });
});

describe("Google Data Manager emulator (strict) + client", () => {
  function setup() {
    const emu = createGoogleDataManagerEmulator({ clock });
    emu.control.registerAccount({ accountId: "1234567890", conversionActionIds: ["77"], accessToken: "ya29.token-abc" });
    const post = (body: Record<string, unknown>, token = "ya29.token-abc") =>
      emu.app.request("/v1/events:ingest", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ destinations: [{ operatingAccount: { accountType: "GOOGLE_ADS", accountId: "1234567890" }, productDestinationId: "77" }], encoding: "HEX", ...body }) });
    const ev = (over: Record<string, unknown> = {}) => ({ transactionId: "t1", eventTimestamp: "2026-11-29T11:00:00+00:00", adIdentifiers: { gclid: "Cj0KCQiA_gclid_1" }, ...over });
    return { emu, post, ev };
  }

  it("rejects both braids, a missing offset, the space format and unhashed e-mails, naming events[i]", async () => {
    const { emu, post, ev } = setup();
    const res = await post({
      events: [
        ev(),
        ev({ transactionId: "t2", adIdentifiers: { gbraid: "gbraid_value_1", wbraid: "wbraid_value_1" } }),
        ev({ transactionId: "t3", eventTimestamp: "2026-11-29T11:00:00" }),
        ev({ transactionId: "t4", eventTimestamp: "2026-11-29 11:00:00+00:00" }),
        ev({ transactionId: "t5", userData: { userIdentifiers: [{ emailAddress: "fan@example.com" }] } }),
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { status: string; details: Array<{ fieldViolations: Array<{ field: string }> }> } };
    expect(body.error.status).toBe("INVALID_ARGUMENT");
    expect(body.error.details[0]!.fieldViolations.map((v) => v.field)).toEqual([
      "events[1].ad_identifiers",
      "events[2].event_timestamp",
      "events[3].event_timestamp",
      "events[4].user_data.user_identifiers[0].emailAddress",
    ]);
    expect(emu.control.events()).toHaveLength(0);
    expect((await post({ events: [ev()] }, "wrong")).status).toBe(401);
  });

  it("eventDeviceInfo.ipAddress must be an IP address, a value a number with an ISO 4217 currency", async () => {
    const { emu, post, ev } = setup();
    const res = await post({
      events: [
        ev({ eventDeviceInfo: { userAgent: "Mozilla/5.0", ipAddress: "203.0.113.7" }, conversionValue: 2.5, currency: "EUR" }),
        ev({ transactionId: "t2", eventDeviceInfo: { ipAddress: "not-an-ip" } }),
        ev({ transactionId: "t3", conversionValue: 2.5, currency: "eur" }),
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: Array<{ fieldViolations: Array<{ field: string }> }> } };
    expect(body.error.details[0]!.fieldViolations.map((v) => v.field)).toEqual(["events[1].event_device_info.ip_address", "events[2].currency"]);
    expect(emu.control.events()).toHaveLength(0);
  });

  it("validateOnly ingests nothing; dedupes by transactionId; client maps violations to rows", async () => {
    const { emu, post, ev } = setup();
    expect((await post({ events: [ev()], validateOnly: true })).status).toBe(200);
    expect(emu.control.validatedOnly()).toBe(1);
    expect(emu.control.events()).toHaveLength(0);
    await post({ events: [ev()] });
    await post({ events: [ev()] });
    expect(emu.control.events().map((e) => e.deduplicated)).toEqual([false, true]);
    const sink = createGoogleDataManager({ baseUrl: "http://emu.test/dm", clock, fetch: fetchFor(emu.app, "http://emu.test/dm") });
    const result = await sink.send({ destination: { accountId: "1234567890", conversionActionId: "77", accessToken: "ya29.token-abc" }, events: [event(), event({ eventId: "evt_02", clickIds: { gclid: "bad" } })] });
    expect(result.outcomes).toEqual([
      { eventId: "evt_01", status: "unsent" },
      { eventId: "evt_02", status: "rejected", reason: expect.stringContaining("events[1].ad_identifiers.gclid") },
    ]);
    emu.control.injectFault({ status: 429, retryAfterSeconds: 7 });
    const limited = await sink.send({ destination: { accountId: "1234567890", conversionActionId: "77", accessToken: "ya29.token-abc" }, events: [event()] });
    expect(limited.outcomes[0]).toMatchObject({ status: "retry", retryAfterMs: 7000 });
    expect(limited.excerpt).not.toContain("ya29.token-abc");
  });
});

describe("Reddit Conversions API v3 emulator (strict) + client", () => {
  function setup() {
    const emu = createRedditEmulator({ clock });
    emu.control.registerPixel({ pixelId: "a2_px", accessToken: "reddit-token-1" });
    const post = (events: unknown[], testId?: string) =>
      emu.app.request("/api/v3/pixels/a2_px/conversion_events", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer reddit-token-1" }, body: JSON.stringify({ data: { ...(testId ? { test_id: testId } : {}), events } }) });
    const ev = (over: Record<string, unknown> = {}) => ({ event_at: clock.now().getTime() - 1000, action_source: "WEBSITE", type: { tracking_type: "SignUp" }, click_id: "rdtcid123456", metadata: { conversion_id: "c1" }, user: { external_id: sha("x") }, ...over });
    return { emu, post, ev };
  }

  it("rejects seconds, lower-case action_source, unhashed e-mail and hashed click ids; accepts ms + WEBSITE", async () => {
    const { emu, post, ev } = setup();
    expect(await (await post([ev({ event_at: Math.floor(clock.now().getTime() / 1000) })])).text()).toContain("milliseconds required");
    expect((await post([ev({ action_source: "website" })])).status).toBe(400);
    expect((await post([ev({ user: { email: "fan@example.com" } })])).status).toBe(400);
    expect((await post([ev({ click_id: sha("rdtcid") })])).status).toBe(400);
    expect((await post([ev({ event_at: clock.now().getTime() - 8 * 86_400_000 })])).status).toBe(400);
    expect(emu.control.events()).toHaveLength(0);
    expect((await post([ev()], "t2_test")).status).toBe(200);
    expect(emu.control.events()[0]).toMatchObject({ testId: "t2_test", clickId: "rdtcid123456" });
  });

  it("user.ip_address must be an IP (or its SHA-256), user.user_agent a bounded string, metadata.value a number with an upper-case currency", async () => {
    const { emu, post, ev } = setup();
    expect((await post([ev({ user: { external_id: sha("x"), ip_address: "999.1.1.1" } })])).status).toBe(400);
    expect((await post([ev({ user: { external_id: sha("x"), user_agent: "x".repeat(513) } })])).status).toBe(400);
    expect((await post([ev({ metadata: { conversion_id: "c1", value: 2.5, currency: "eur" } })])).status).toBe(400);
    expect(emu.control.events()).toHaveLength(0);
    expect((await post([ev({ user: { external_id: sha("x"), ip_address: "2001:db8::1", user_agent: "Mozilla/5.0" }, metadata: { conversion_id: "c1", value: 2.5, currency: "EUR" } })])).status).toBe(200);
    expect(emu.control.events()[0]).toMatchObject({ user: { ip_address: "2001:db8::1", user_agent: "Mozilla/5.0" }, metadata: { value: 2.5, currency: "EUR" } });
  });

  it("client: ms event_at, WEBSITE, raw click id, test_id; 5xx is retryable", async () => {
    const { emu } = setup();
    const sink = createRedditConversions({ baseUrl: "http://emu.test/r", clock, fetch: fetchFor(emu.app, "http://emu.test/r") });
    const dest = { accountId: "a2_px", accessToken: "reddit-token-1", testCode: "t2_test" };
    expect((await sink.send({ destination: dest, events: [event({ eventName: "Stream" })] })).outcomes[0]).toMatchObject({ status: "accepted" });
    expect(emu.control.events()[0]).toMatchObject({ trackingType: "Custom", customEventName: "Stream", eventAt: clock.now().getTime() - 60_000, testId: "t2_test", clickId: "rdtcid123456" });
    emu.control.injectFault({ status: 502 });
    expect((await sink.send({ destination: dest, events: [event()] })).outcomes[0]).toMatchObject({ status: "retry" });
  });
});

describe("conversions emulators: malformed bodies are 400 in each platform's error shape, never a 500", () => {
  it("Meta: a form body whose data is not JSON, and a broken multipart body", async () => {
    const emu = createMetaConversionsEmulator({ clock });
    emu.control.registerPixel({ pixelId: "1234567", accessToken: "meta-token-xyz" });
    const form = await emu.app.request("/v23.0/1234567/events", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "data=notjson&access_token=meta-token-xyz" });
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: { code: number } }).error.code).toBe(100);
    const multipart = await emu.app.request("/v23.0/1234567/events", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=zz" }, body: "garbage" });
    expect(multipart.status).toBe(400);
    expect(emu.control.events()).toHaveLength(0);
  });

  it("Google: a null destination or a null event", async () => {
    const emu = createGoogleDataManagerEmulator({ clock });
    emu.control.registerAccount({ accountId: "1234567890", conversionActionIds: ["77"], accessToken: "ya29.token-abc" });
    const post = (body: unknown) => emu.app.request("/v1/events:ingest", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer ya29.token-abc" }, body: JSON.stringify(body) });
    const nullDest = await post({ destinations: [null], events: [{}] });
    expect(nullDest.status).toBe(400);
    expect(((await nullDest.json()) as { error: { status: string } }).error.status).toBe("INVALID_ARGUMENT");
    const nullEvent = await post({ destinations: [{ operatingAccount: { accountId: "1234567890" }, productDestinationId: "77" }], events: [null, {}] });
    expect(nullEvent.status).toBe(400);
  });

  it("Reddit: a null event", async () => {
    const emu = createRedditEmulator({ clock });
    emu.control.registerPixel({ pixelId: "a2_px", accessToken: "reddit-token-1" });
    const res = await emu.app.request("/api/v3/pixels/a2_px/conversion_events", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer reddit-token-1" }, body: JSON.stringify({ data: { events: [null] } }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("data.events[0]");
  });
});
