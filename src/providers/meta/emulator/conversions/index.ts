import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Clock } from "../../../../lib/clock";
import { emulatorFaultInput, emulatorRejectionInput, takeEmulatorFault, type EmulatorFault } from "../../../conversion-sink/take-emulator-fault";
import { META_CAPI_BATCH_LIMIT } from "../../client/create-meta-conversions";

/** A server event the emulator accepted (as received). */
export interface MetaReceivedEvent {
  pixelId: string;
  eventName: string;
  eventId: string | null;
  eventTime: number;
  actionSource: string;
  testEventCode: string | null;
  userData: Record<string, unknown>;
  customData: Record<string, unknown> | null;
  deduplicated: boolean;
}

export interface MetaConversionsControl {
  /** Declares a pixel (dataset) and the access token allowed to post to it. */
  registerPixel(input: { pixelId: string; accessToken: string }): void;
  /** Accepted events (duplicates included, flagged), test events included (flagged by `testEventCode`). */
  events(pixelId?: string): MetaReceivedEvent[];
  injectFault(fault: Omit<EmulatorFault, "times"> & { times?: number }): void;
  /** Partial failure: a request carrying `event_id` = `eventId` is refused naming that event (`data[i]`), with `reason`. */
  rejectEvent(input: { eventId: string; reason: string }): void;
  /** Number of ingest calls answered (faults included). */
  calls(): number;
  reset(): void;
}

const SEVEN_DAYS_S = 7 * 24 * 3600;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const FBC = /^fb\.\d\.\d{10,13}\.[A-Za-z0-9_-]+$/;
const FBP = /^fb\.\d\.\d{10,13}\.\d+$/;
const ACTION_SOURCES = new Set(["email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other"]);
const HASHED_KEYS = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"] as const;

interface GraphError {
  message: string;
  code: number;
  subcode?: number;
  title?: string;
  userMsg?: string;
}

/**
 * A strict, stateful emulator of the Meta Conversions API events edge
 * (https://developers.facebook.com/documentation/ads-commerce/conversions-api/using-the-api,
 * https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event/,
 * …/customer-information-parameters). `POST /{version}/{pixel_id}/events` with JSON or form
 * (`data` as a JSON string), `access_token` in the query or body. Refuses, for the whole
 * request (as Meta does): unknown pixel (100/33), bad token (190), more than 1 000 events,
 * `event_time` in ms or older than 7 days (2804003) or in the future, missing
 * `action_source` / `event_source_url` / `client_user_agent` (website), unhashed `em` /
 * `ph` / `external_id`, a hashed or malformed `client_ip_address` / `client_user_agent`,
 * malformed `fbc` / `fbp`, no customer information, a `custom_data.value` without currency. Dedupes by pixel + `event_name` +
 * `event_id` (first wins) and says so in `messages` as `event_id <id> deduplicated` — an
 * emulator courtesy: Meta itself does not report deduplication in the response.
 * Mount under `/_emulator/meta/capi` (never in production).
 */
export function createMetaConversionsEmulator(options: { clock: Clock }): { app: Hono; control: MetaConversionsControl } {
  const pixels = new Map<string, string>();
  let received: MetaReceivedEvent[] = [];
  let seen = new Set<string>();
  let faults: EmulatorFault[] = [];
  let rejections = new Map<string, string>();
  let calls = 0;

  const control: MetaConversionsControl = {
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

  const graphError = (c: Context, status: 400 | 401 | 404, e: GraphError) =>
    c.json(
      {
        error: {
          message: e.message,
          type: e.code === 190 ? "OAuthException" : "OAuthException",
          code: e.code,
          ...(e.subcode ? { error_subcode: e.subcode } : {}),
          ...(e.title ? { error_user_title: e.title } : {}),
          ...(e.userMsg ? { error_user_msg: e.userMsg } : {}),
          fbtrace_id: randomBytes(8).toString("base64url"),
        },
      },
      status,
    );

  /** The first problem of one server event, or null. */
  function checkEvent(ev: Record<string, unknown>, index: number, nowS: number): GraphError | null {
    const bad = (userMsg: string, subcode = 2804019, title = "Invalid parameter"): GraphError => ({ message: "Invalid parameter", code: 100, subcode, title, userMsg: `data[${index}]: ${userMsg}` });
    if (typeof ev.event_name !== "string" || ev.event_name.length === 0 || ev.event_name.length > 100) return bad("event_name is required");
    const injected = typeof ev.event_id === "string" ? rejections.get(ev.event_id) : undefined;
    if (injected) return bad(injected);
    const t = ev.event_time;
    if (typeof t !== "number" || !Number.isInteger(t)) return bad("event_time must be a Unix timestamp in seconds");
    if (t > 9_999_999_999) return bad("event_time must be in seconds, not milliseconds", 2804004, "Event Timestamp In Milliseconds");
    if (t < nowS - SEVEN_DAYS_S) return bad("The timestamp for this event is more than 7 days in the past", 2804003, "Event Timestamp Too Old");
    if (t > nowS + 60) return bad("The timestamp for this event is in the future", 2804005, "Event Timestamp In Future");
    if (typeof ev.action_source !== "string" || !ACTION_SOURCES.has(ev.action_source)) return bad("action_source is required and must be a known value");
    if (ev.action_source === "website" && (typeof ev.event_source_url !== "string" || !/^https?:\/\//.test(ev.event_source_url))) return bad("event_source_url is required for website events");
    if (ev.event_id !== undefined && (typeof ev.event_id !== "string" || ev.event_id.length === 0)) return bad("event_id must be a non-empty string");
    const ud = ev.user_data;
    if (!ud || typeof ud !== "object" || Array.isArray(ud)) return bad("user_data is required");
    const u = ud as Record<string, unknown>;
    for (const key of HASHED_KEYS) {
      if (u[key] === undefined) continue;
      const values = Array.isArray(u[key]) ? (u[key] as unknown[]) : [u[key]];
      if (key === "country" || key === "ge") continue;
      for (const v of values) {
        if (typeof v !== "string" || !SHA256_HEX.test(v)) return bad(`user_data.${key} must be SHA-256 hashed (lower-case hex)`, 2804017, "Unhashed customer information");
      }
    }
    if (u.fbc !== undefined && (typeof u.fbc !== "string" || !FBC.test(u.fbc))) return bad("user_data.fbc must be fb.1.<ms>.<fbclid>");
    if (u.fbp !== undefined && (typeof u.fbp !== "string" || !FBP.test(u.fbp))) return bad("user_data.fbp must be fb.1.<ms>.<random>");
    // Raw values, as Meta requires (a hashed or malformed IP is refused).
    if (u.client_ip_address !== undefined && (typeof u.client_ip_address !== "string" || isIP(u.client_ip_address) === 0)) return bad("user_data.client_ip_address must be an IPv4 or IPv6 address (not hashed)");
    if (u.client_user_agent !== undefined && (typeof u.client_user_agent !== "string" || u.client_user_agent.length === 0 || SHA256_HEX.test(u.client_user_agent))) return bad("user_data.client_user_agent must be the raw user agent (not hashed)");
    // Website events require client_user_agent (with action_source and event_source_url).
    if (ev.action_source === "website" && u.client_user_agent === undefined) return bad("client_user_agent is required for website events", 2804050, "Missing client_user_agent");
    const hasKey = ["em", "ph", "external_id", "fbc", "fbp", "client_ip_address", "client_user_agent"].some((k) => u[k] !== undefined);
    if (!hasKey) return bad("user_data needs at least one customer information parameter", 2804050, "Insufficient customer information");
    const cd = ev.custom_data;
    if (cd !== undefined) {
      if (!cd || typeof cd !== "object" || Array.isArray(cd)) return bad("custom_data must be an object");
      const c = cd as Record<string, unknown>;
      if (c.value !== undefined && (typeof c.value !== "number" || !Number.isFinite(c.value))) return bad("custom_data.value must be a number");
      if (c.value !== undefined && (typeof c.currency !== "string" || !/^[a-zA-Z]{3}$/.test(c.currency))) return bad("custom_data.currency (ISO 4217) is required with value");
    }
    return null;
  }

  const app = new Hono();
  app.post("/_control/pixels", async (c) => {
    const parsed = z.object({ pixelId: z.string().regex(/^\d{5,20}$/), accessToken: z.string().min(8) }).safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "{ pixelId: digits, accessToken }" }, 400);
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

  app.post("/:version/:pixelId/events", async (c) => {
    calls += 1;
    const fault = takeEmulatorFault(faults);
    if (fault) {
      if (fault.status === "timeout") {
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 30_000));
        return c.json({ error: { message: "timeout", code: 2, fbtrace_id: "t" } }, 503);
      }
      if (fault.status === 429) {
        c.header("Retry-After", String(fault.retryAfterSeconds ?? 60));
        return c.json({ error: { message: "(#80004) There have been too many calls to this ad-account.", type: "OAuthException", code: 80004, fbtrace_id: "r" } }, 429);
      }
      return c.json({ error: { message: "An unexpected error has occurred. Please retry your request later.", type: "OAuthException", code: 2, is_transient: true, fbtrace_id: "e" } }, fault.status);
    }
    const pixelId = c.req.param("pixelId");
    const type = c.req.header("content-type") ?? "";
    let body: Record<string, unknown> = {};
    if (type.includes("application/json")) body = ((await c.req.json().catch(() => null)) as Record<string, unknown> | null) ?? {};
    else {
      // A malformed form body or a `data` field that is not JSON is Graph's #100, never a crash.
      try {
        const form = await c.req.parseBody();
        body = { ...form };
        if (typeof form.data === "string") body.data = JSON.parse(form.data) as unknown;
      } catch {
        return graphError(c, 400, { message: "(#100) param data must be an array.", code: 100 });
      }
    }
    const token = c.req.query("access_token") ?? (typeof body.access_token === "string" ? body.access_token : undefined);
    const expected = pixels.get(pixelId);
    if (expected === undefined) {
      return graphError(c, 400, { message: `Unsupported post request. Object with ID '${pixelId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, code: 100, subcode: 33 });
    }
    if (!token || token !== expected) return graphError(c, 400, { message: "Invalid OAuth access token - Cannot parse access token", code: 190 });
    const data = body.data;
    if (!Array.isArray(data) || data.length === 0) return graphError(c, 400, { message: "(#100) The parameter data is required", code: 100 });
    // Same cap as the client (META_CAPI_BATCH_LIMIT, from Meta's "Using the API" page).
    if (data.length > META_CAPI_BATCH_LIMIT) return graphError(c, 400, { message: `(#100) data: at most ${META_CAPI_BATCH_LIMIT} events per request`, code: 100, userMsg: `Too many events in one request (max ${META_CAPI_BATCH_LIMIT})` });
    const nowS = Math.floor(options.clock.now().getTime() / 1000);
    for (const [i, ev] of data.entries()) {
      const problem = ev && typeof ev === "object" ? checkEvent(ev as Record<string, unknown>, i, nowS) : { message: "Invalid parameter", code: 100, userMsg: `data[${i}] must be an object` };
      if (problem) return graphError(c, 400, problem);
    }
    const testEventCode = typeof body.test_event_code === "string" ? body.test_event_code : null;
    const messages: string[] = [];
    for (const raw of data as Array<Record<string, unknown>>) {
      const eventId = typeof raw.event_id === "string" ? raw.event_id : null;
      const key = `${pixelId}|${testEventCode ?? ""}|${raw.event_name as string}|${eventId ?? randomBytes(6).toString("hex")}`;
      const deduplicated = eventId !== null && seen.has(key);
      seen.add(key);
      if (deduplicated) messages.push(`event_id ${eventId} deduplicated`);
      received.push({
        pixelId,
        eventName: raw.event_name as string,
        eventId,
        eventTime: raw.event_time as number,
        actionSource: raw.action_source as string,
        testEventCode,
        userData: raw.user_data as Record<string, unknown>,
        customData: (raw.custom_data as Record<string, unknown> | undefined) ?? null,
        deduplicated,
      });
    }
    return c.json({ events_received: data.length, messages, fbtrace_id: randomBytes(8).toString("base64url") });
  });
  return { app, control };
}
