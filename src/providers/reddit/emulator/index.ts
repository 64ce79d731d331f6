import { isIP } from "node:net";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Clock } from "../../../lib/clock";
import { emulatorFaultInput, emulatorRejectionInput, takeEmulatorFault, type EmulatorFault } from "../../conversion-sink/take-emulator-fault";
import { REDDIT_CAPI_BATCH_LIMIT } from "../client/create-reddit-conversions";

export interface RedditReceivedEvent {
  pixelId: string;
  eventAt: number;
  trackingType: string;
  customEventName: string | null;
  clickId: string | null;
  conversionId: string;
  testId: string | null;
  user: Record<string, unknown>;
  /** `metadata` as received (`conversion_id`, `value`, `currency`). */
  metadata: Record<string, unknown>;
  deduplicated: boolean;
}

export interface RedditEmulatorControl {
  registerPixel(input: { pixelId: string; accessToken: string }): void;
  events(pixelId?: string): RedditReceivedEvent[];
  injectFault(fault: Omit<EmulatorFault, "times"> & { times?: number }): void;
  /** Partial failure: a request carrying `metadata.conversion_id` = `eventId` is refused naming `data.events[i]`, with `reason`. */
  rejectEvent(input: { eventId: string; reason: string }): void;
  calls(): number;
  reset(): void;
}

const HEX64 = /^[0-9a-f]{64}$/;
const SEVEN_DAYS_MS = 7 * 86_400_000;
const ACTION_SOURCES = new Set(["WEBSITE", "APP", "PHYSICAL_STORE"]);
const TRACKING_TYPES = new Set(["PageVisit", "ViewContent", "Search", "AddToCart", "AddToWishlist", "Purchase", "Lead", "SignUp", "Custom"]);

/**
 * A strict emulator of Reddit's Conversions API v3
 * `POST /api/v3/pixels/{pixel_id}/conversion_events` (see the client's sources). Bearer
 * token per registered pixel; ≤ 1 000 events; per event: `event_at` in MILLISECONDS (a
 * seconds value, older than 7 days or in the future → 400), `action_source` upper-case
 * (`website` → 400), `type.tracking_type` known (`Custom` needs `custom_event_name`),
 * `metadata.conversion_id` required, `user.email` / `user.external_id` SHA-256 hex (raw →
 * 400), `user.ip_address` an IP (or its SHA-256), `user.user_agent` ≤ 512 chars,
 * `metadata.value` a number with an upper-case ISO 4217 `metadata.currency`, `click_id`
 * raw (a 64-hex "hashed" click id → 400). All-or-nothing: one bad event
 * refuses the request. Dedupes by pixel + tracking type + `conversion_id` and lists the
 * duplicates in `deduplicated` (an emulator courtesy). Test events (`test_id`) are kept
 * apart. Mount under `/_emulator/reddit` (never in production).
 */
export function createRedditEmulator(options: { clock: Clock }): { app: Hono; control: RedditEmulatorControl } {
  const pixels = new Map<string, string>();
  let received: RedditReceivedEvent[] = [];
  let seen = new Set<string>();
  let faults: EmulatorFault[] = [];
  let rejections = new Map<string, string>();
  let calls = 0;
  const control: RedditEmulatorControl = {
    registerPixel: ({ pixelId, accessToken }) => void pixels.set(pixelId, accessToken),
    events: (pixelId) => received.filter((e) => pixelId === undefined || e.pixelId === pixelId),
    injectFault: (f) => void faults.push({ ...f, times: f.times ?? 1 }),
    rejectEvent: ({ eventId, reason }) => void rejections.set(eventId, reason),
    calls: () => calls,
    reset: () => {
      pixels.clear();
      rejections = new Map();
      received = [];
      seen = new Set();
      faults = [];
      calls = 0;
    },
  };
  const fail = (c: Context, status: 400 | 401 | 404 | 429 | 500 | 502 | 503, code: string, message: string) => c.json({ error: { code, message } }, status);

  const app = new Hono();
  app.post("/_control/pixels", async (c) => {
    const parsed = z.object({ pixelId: z.string().min(3), accessToken: z.string().min(8) }).safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "{ pixelId, accessToken }" }, 400);
    control.registerPixel(parsed.data);
    return c.json({ ok: true }, 201);
  });
  app.get("/_control/events", (c) => c.json({ events: control.events(c.req.query("pixelId")) }));
  app.post("/_control/faults", async (c) => {
    const parsed = emulatorFaultInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "{ status: 429|500|502|503|'timeout', times?, retryAfterSeconds?, delayMs? }" }, 400);
    control.injectFault(parsed.data);
    return c.json({ ok: true }, 201);
  });
  app.post("/_control/rejections", async (c) => {
    const parsed = emulatorRejectionInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "{ eventId, reason? }" }, 400);
    control.rejectEvent(parsed.data);
    return c.json({ ok: true }, 201);
  });
  app.post("/_control/reset", (c) => {
    control.reset();
    return c.json({ ok: true });
  });

  app.post("/api/v3/pixels/:pixelId/conversion_events", async (c) => {
    calls += 1;
    const fault = takeEmulatorFault(faults);
    if (fault) {
      if (fault.status === "timeout") {
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 30_000));
        return fail(c, 503, "UNAVAILABLE", "timeout");
      }
      if (fault.status === 429) {
        c.header("Retry-After", String(fault.retryAfterSeconds ?? 10));
        return fail(c, 429, "RATE_LIMITED", "Too many requests");
      }
      return fail(c, fault.status, "INTERNAL_ERROR", "Internal server error");
    }
    const pixelId = c.req.param("pixelId");
    const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const expected = pixels.get(pixelId);
    if (!expected) return fail(c, 404, "NOT_FOUND", `pixel ${pixelId} not found`);
    if (token !== expected) return fail(c, 401, "UNAUTHORIZED", "invalid conversion access token");
    const body = (await c.req.json().catch(() => null)) as { data?: { test_id?: unknown; events?: unknown } } | null;
    const events = body?.data?.events;
    if (!Array.isArray(events) || events.length === 0) return fail(c, 400, "INVALID_REQUEST", "data.events is required");
    if (events.length > REDDIT_CAPI_BATCH_LIMIT) return fail(c, 400, "INVALID_REQUEST", `data.events: at most ${REDDIT_CAPI_BATCH_LIMIT} events`);
    const notObject = events.findIndex((ev) => typeof ev !== "object" || ev === null || Array.isArray(ev));
    if (notObject >= 0) return fail(c, 400, "INVALID_REQUEST", `data.events[${notObject}]: an object is required`);
    const now = options.clock.now().getTime();
    for (const [i, raw] of (events as Array<Record<string, unknown>>).entries()) {
      const at = raw.event_at;
      if (typeof at !== "number" || !Number.isInteger(at)) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].event_at: integer milliseconds required`);
      if (at < 1e12) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].event_at: looks like seconds, milliseconds required`);
      if (at < now - SEVEN_DAYS_MS) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].event_at: older than 7 days`);
      if (at > now + 60_000) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].event_at: in the future`);
      if (typeof raw.action_source !== "string" || !ACTION_SOURCES.has(raw.action_source)) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].action_source: one of WEBSITE, APP, PHYSICAL_STORE (upper-case)`);
      const type = (raw.type ?? {}) as Record<string, unknown>;
      if (typeof type.tracking_type !== "string" || !TRACKING_TYPES.has(type.tracking_type)) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].type.tracking_type: unknown`);
      if (type.tracking_type === "Custom" && (typeof type.custom_event_name !== "string" || type.custom_event_name.length === 0)) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].type.custom_event_name: required for Custom`);
      const meta = (raw.metadata ?? {}) as Record<string, unknown>;
      if (typeof meta.conversion_id !== "string" || meta.conversion_id.length === 0) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].metadata.conversion_id: required`);
      const injected = rejections.get(meta.conversion_id);
      if (injected) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}]: ${injected}`);
      const user = (raw.user ?? {}) as Record<string, unknown>;
      for (const k of ["email", "external_id", "phone_number"]) {
        if (user[k] !== undefined && (typeof user[k] !== "string" || !HEX64.test(user[k] as string))) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].user.${k}: must be SHA-256 hashed`);
      }
      if (user.ip_address !== undefined && (typeof user.ip_address !== "string" || (isIP(user.ip_address) === 0 && !HEX64.test(user.ip_address)))) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].user.ip_address: an IPv4 / IPv6 address (or its SHA-256)`);
      if (user.user_agent !== undefined && (typeof user.user_agent !== "string" || user.user_agent.length === 0 || user.user_agent.length > 512)) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].user.user_agent: a string of 1 to 512 characters`);
      if (meta.value !== undefined && (typeof meta.value !== "number" || !Number.isFinite(meta.value))) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].metadata.value: a number`);
      if (meta.value !== undefined && (typeof meta.currency !== "string" || !/^[A-Z]{3}$/.test(meta.currency))) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].metadata.currency: ISO 4217 (upper-case) required with value`);
      if (raw.click_id !== undefined && (typeof raw.click_id !== "string" || HEX64.test(raw.click_id) || raw.click_id.length > 200)) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}].click_id: send the raw rdt_cid`);
      if (raw.click_id === undefined && Object.keys(user).length === 0) return fail(c, 400, "INVALID_REQUEST", `data.events[${i}]: a click_id or user identifier is required`);
    }
    const testId = typeof body?.data?.test_id === "string" ? body.data.test_id : null;
    const deduplicated: string[] = [];
    for (const raw of events as Array<Record<string, unknown>>) {
      const type = raw.type as Record<string, unknown>;
      const meta = raw.metadata as Record<string, unknown>;
      const key = `${pixelId}|${testId ?? ""}|${String(type.tracking_type)}|${String(type.custom_event_name ?? "")}|${String(meta.conversion_id)}`;
      const dup = seen.has(key);
      seen.add(key);
      if (dup) deduplicated.push(String(meta.conversion_id));
      received.push({
        pixelId,
        eventAt: raw.event_at as number,
        trackingType: String(type.tracking_type),
        customEventName: typeof type.custom_event_name === "string" ? type.custom_event_name : null,
        clickId: typeof raw.click_id === "string" ? raw.click_id : null,
        conversionId: String(meta.conversion_id),
        testId,
        user: (raw.user ?? {}) as Record<string, unknown>,
        metadata: meta,
        deduplicated: dup,
      });
    }
    return c.json({ message: "Successfully processed", events_received: events.length, deduplicated });
  });
  return { app, control };
}
