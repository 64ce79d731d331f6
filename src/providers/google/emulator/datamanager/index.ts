import { randomUUID } from "node:crypto";
import { isIP } from "node:net";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Clock } from "../../../../lib/clock";
import { emulatorFaultInput, emulatorRejectionInput, takeEmulatorFault, type EmulatorFault } from "../../../conversion-sink/take-emulator-fault";
import { GOOGLE_INGEST_BATCH_LIMIT } from "../../client/create-google-data-manager";

export interface GoogleIngestedEvent {
  accountId: string;
  conversionActionId: string;
  transactionId: string;
  eventTimestamp: string;
  adIdentifiers: Record<string, string>;
  userIdentifiers: Array<Record<string, string>>;
  conversionValue: number | null;
  currency: string | null;
  /** `eventDeviceInfo` as received (`userAgent`, `ipAddress`), or null. */
  deviceInfo: Record<string, string> | null;
  deduplicated: boolean;
}

export interface GoogleDataManagerControl {
  /** Declares a Google Ads account, its conversion actions, and the OAuth token allowed on it. */
  registerAccount(input: { accountId: string; conversionActionIds: string[]; accessToken: string }): void;
  events(accountId?: string): GoogleIngestedEvent[];
  /** Requests accepted with `validateOnly: true` (nothing ingested). */
  validatedOnly(): number;
  injectFault(fault: Omit<EmulatorFault, "times"> & { times?: number }): void;
  /** Partial failure: an event with `transactionId` = `eventId` gets a violation at `events[i]` (with `reason`); the others in the request are still checked. */
  rejectEvent(input: { eventId: string; reason: string }): void;
  calls(): number;
  reset(): void;
}

const HEX64 = /^[0-9a-f]{64}$/;
/** RFC 3339 with a mandatory offset (`Z` or `±hh:mm`), as protobuf Timestamp JSON takes it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const CLICK_ID = /^[A-Za-z0-9_-]{10,200}$/;
const NINETY_DAYS_MS = 90 * 86_400_000;

/**
 * A strict emulator of the Data Manager API `POST /v1/events:ingest`
 * (https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest). Bearer
 * token per registered account; `destinations[].operatingAccount.accountId` and
 * `productDestinationId` must be registered; at most 2 000 events; `encoding` required when
 * user data is sent. Per event: `eventTimestamp` RFC 3339 WITH offset (missing offset,
 * `yyyy-mm-dd hh:mm:ss` with a space, more than 90 days old or in the future → violation),
 * at most one of gclid / gbraid / wbraid (two → violation), hashed identifiers 64-hex
 * (unhashed e-mail → violation). Violations come back in one 400 INVALID_ARGUMENT with a
 * `google.rpc.BadRequest` naming `events[i]` (nothing is ingested, as in Google's fast-fail
 * validation); dedupe by `transactionId` per conversion action (`deduplicated` flagged).
 * Mount under `/_emulator/google/datamanager` (never in production).
 */
export function createGoogleDataManagerEmulator(options: { clock: Clock }): { app: Hono; control: GoogleDataManagerControl } {
  const accounts = new Map<string, { token: string; actions: Set<string> }>();
  let ingested: GoogleIngestedEvent[] = [];
  let seen = new Set<string>();
  let faults: EmulatorFault[] = [];
  let rejections = new Map<string, string>();
  let validated = 0;
  let calls = 0;
  const control: GoogleDataManagerControl = {
    registerAccount: ({ accountId, conversionActionIds, accessToken }) => void accounts.set(accountId, { token: accessToken, actions: new Set(conversionActionIds) }),
    events: (accountId) => ingested.filter((e) => accountId === undefined || e.accountId === accountId),
    validatedOnly: () => validated,
    injectFault: (f) => void faults.push({ ...f, times: f.times ?? 1 }),
    rejectEvent: ({ eventId, reason }) => void rejections.set(eventId, reason),
    calls: () => calls,
    reset: () => {
      accounts.clear();
      ingested = [];
      seen = new Set();
      faults = [];
      rejections = new Map();
      validated = 0;
      calls = 0;
    },
  };
  const rpcError = (c: Context, status: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503, code: string, message: string, violations: Array<{ field: string; description: string }> = []) =>
    c.json({ error: { code: status, message, status: code, ...(violations.length ? { details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: violations }] } : {}) } }, status);

  const app = new Hono();
  app.post("/_control/accounts", async (c) => {
    const parsed = z.object({ accountId: z.string().regex(/^\d{10}$/), conversionActionIds: z.array(z.string().min(1)).min(1), accessToken: z.string().min(8) }).safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: "{ accountId: 10 digits, conversionActionIds: [..], accessToken }" }, 400);
    control.registerAccount(parsed.data);
    return c.json({ ok: true }, 201);
  });
  app.get("/_control/events", (c) => c.json({ events: control.events(c.req.query("accountId")) }));
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

  // `events:ingest` has a colon, which Hono would read as a parameter: match by hand.
  app.post("/v1/*", async (c) => {
    if (!c.req.path.endsWith("/v1/events:ingest")) return rpcError(c, 404, "NOT_FOUND", "Method not found.");
    calls += 1;
    const fault = takeEmulatorFault(faults);
    if (fault) {
      if (fault.status === "timeout") {
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 30_000));
        return rpcError(c, 503, "UNAVAILABLE", "The service is currently unavailable.");
      }
      if (fault.status === 429) {
        c.header("Retry-After", String(fault.retryAfterSeconds ?? 30));
        return rpcError(c, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests'.");
      }
      return rpcError(c, fault.status, fault.status === 503 ? "UNAVAILABLE" : "INTERNAL", "Internal error encountered.");
    }
    const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) return rpcError(c, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    const dests = Array.isArray(body.destinations) ? (body.destinations as Array<Record<string, unknown>>) : [];
    if (dests.length === 0) return rpcError(c, 400, "INVALID_ARGUMENT", "destinations is required", [{ field: "destinations", description: "Required." }]);
    if (!dests.every(isJsonObject)) return rpcError(c, 400, "INVALID_ARGUMENT", "Invalid value at 'destinations'", [{ field: "destinations", description: "Each destination must be an object." }]);
    const dest = dests[0]!;
    const accountId = String((dest.operatingAccount as Record<string, unknown> | undefined)?.accountId ?? "");
    const actionId = String(dest.productDestinationId ?? "");
    const account = accounts.get(accountId);
    if (!token || !account || account.token !== token) return rpcError(c, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    if (!account.actions.has(actionId)) return rpcError(c, 400, "INVALID_ARGUMENT", "Unknown product destination", [{ field: "destinations[0].product_destination_id", description: "Conversion action not found in the operating account." }]);
    const events = Array.isArray(body.events) ? (body.events as Array<Record<string, unknown>>) : [];
    if (events.length === 0) return rpcError(c, 400, "INVALID_ARGUMENT", "events is required", [{ field: "events", description: "Required." }]);
    if (!events.every(isJsonObject)) return rpcError(c, 400, "INVALID_ARGUMENT", "Invalid value at 'events'", [{ field: "events", description: "Each event must be an object." }]);
    if (events.length > GOOGLE_INGEST_BATCH_LIMIT) return rpcError(c, 400, "INVALID_ARGUMENT", "Too many events", [{ field: "events", description: `At most ${GOOGLE_INGEST_BATCH_LIMIT} events per request.` }]);
    const now = options.clock.now().getTime();
    const violations: Array<{ field: string; description: string }> = [];
    for (const [i, ev] of events.entries()) {
      const ts = ev.eventTimestamp;
      if (typeof ts !== "string" || !RFC3339.test(ts)) violations.push({ field: `events[${i}].event_timestamp`, description: "Must be an RFC 3339 timestamp with a time-zone offset." });
      else {
        const t = Date.parse(ts);
        if (t < now - NINETY_DAYS_MS) violations.push({ field: `events[${i}].event_timestamp`, description: "Event is older than 90 days." });
        else if (t > now + 60_000) violations.push({ field: `events[${i}].event_timestamp`, description: "Event timestamp is in the future." });
      }
      const ids = (ev.adIdentifiers ?? {}) as Record<string, unknown>;
      const present = ["gclid", "gbraid", "wbraid"].filter((k) => ids[k] !== undefined);
      if (present.length > 1) violations.push({ field: `events[${i}].ad_identifiers`, description: `Only one of gclid, gbraid, wbraid may be set (got ${present.join(", ")}).` });
      for (const k of present) if (typeof ids[k] !== "string" || !CLICK_ID.test(ids[k] as string)) violations.push({ field: `events[${i}].ad_identifiers.${k}`, description: "Malformed click identifier." });
      const uids = ((ev.userData as Record<string, unknown> | undefined)?.userIdentifiers ?? []) as Array<Record<string, unknown>>;
      if (uids.length && body.encoding !== "HEX" && body.encoding !== "BASE64") violations.push({ field: "encoding", description: "Required when user data is sent." });
      for (const [j, u] of uids.entries()) {
        for (const key of ["emailAddress", "phoneNumber"]) {
          if (u[key] !== undefined && (typeof u[key] !== "string" || !HEX64.test(u[key] as string))) violations.push({ field: `events[${i}].user_data.user_identifiers[${j}].${key}`, description: "Must be a hex-encoded SHA-256 hash of the normalized value." });
        }
      }
      if (present.length === 0 && uids.length === 0) violations.push({ field: `events[${i}]`, description: "An ad identifier or user data is required." });
      if (typeof ev.transactionId !== "string" || ev.transactionId.length === 0) violations.push({ field: `events[${i}].transaction_id`, description: "Required for deduplication." });
      const injected = typeof ev.transactionId === "string" ? rejections.get(ev.transactionId) : undefined;
      if (injected) violations.push({ field: `events[${i}]`, description: injected });
      const device = ev.eventDeviceInfo;
      if (device !== undefined) {
        const d: Record<string, unknown> = isJsonObject(device) ? (device as Record<string, unknown>) : {};
        if (!isJsonObject(device)) violations.push({ field: `events[${i}].event_device_info`, description: "Must be an object." });
        if (d.ipAddress !== undefined && (typeof d.ipAddress !== "string" || isIP(d.ipAddress) === 0)) violations.push({ field: `events[${i}].event_device_info.ip_address`, description: "Must be an IPv4 or IPv6 address." });
        if (d.userAgent !== undefined && (typeof d.userAgent !== "string" || d.userAgent.length === 0)) violations.push({ field: `events[${i}].event_device_info.user_agent`, description: "Must be a non-empty string." });
      }
      if (ev.conversionValue !== undefined && (typeof ev.conversionValue !== "number" || !Number.isFinite(ev.conversionValue) || ev.conversionValue < 0)) violations.push({ field: `events[${i}].conversion_value`, description: "Must be a non-negative number." });
      if (ev.currency !== undefined && (typeof ev.currency !== "string" || !/^[A-Z]{3}$/.test(ev.currency))) violations.push({ field: `events[${i}].currency`, description: "Must be an ISO 4217 code." });
    }
    if (violations.length) return rpcError(c, 400, "INVALID_ARGUMENT", "Request contains an invalid argument.", violations);
    if (body.validateOnly === true) {
      validated += 1;
      return c.json({});
    }
    for (const ev of events) {
      const key = `${accountId}|${actionId}|${ev.transactionId as string}`;
      const deduplicated = seen.has(key);
      seen.add(key);
      ingested.push({
        accountId,
        conversionActionId: actionId,
        transactionId: ev.transactionId as string,
        eventTimestamp: ev.eventTimestamp as string,
        adIdentifiers: (ev.adIdentifiers ?? {}) as Record<string, string>,
        userIdentifiers: (((ev.userData as Record<string, unknown> | undefined)?.userIdentifiers ?? []) as Array<Record<string, string>>),
        conversionValue: typeof ev.conversionValue === "number" ? ev.conversionValue : null,
        currency: typeof ev.currency === "string" ? ev.currency : null,
        deviceInfo: isJsonObject(ev.eventDeviceInfo) ? (ev.eventDeviceInfo as Record<string, string>) : null,
        deduplicated,
      });
    }
    return c.json({ requestId: randomUUID() });
  });
  return { app, control };
}

/** A JSON object (not null, not an array): what every destination and event must be. */
const isJsonObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
