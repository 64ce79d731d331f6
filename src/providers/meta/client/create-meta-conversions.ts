import { z } from "zod";
import { toMajorUnits } from "../../../lib/money/to-major-units";
import type { Clock } from "../../../lib/clock";
import { createHttpClient, type FailureClassification, type HttpFailure } from "../../../lib/http/index";
import type { Logger } from "../../../lib/logger";
import type { ConversionSink, SinkEvent } from "../../conversion-sink/port";
import { outcomesForFailure } from "../../conversion-sink/outcomes-for-failure";

/**
 * Meta's cap on `data[]` per request: "You can send up to 1,000 events in `data`"
 * (https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api, "Batch Requests").
 * The emulator refuses more with the same number.
 */
export const META_CAPI_BATCH_LIMIT = 1000;

const eventsResponse = z.object({
  events_received: z.number().int().nonnegative(),
  messages: z.array(z.string()).default([]),
  fbtrace_id: z.string().optional(),
});

/**
 * Graph errors `{ error: { message, type, code, error_subcode, error_user_title, error_user_msg, fbtrace_id } }`.
 * Code 190 (bad / expired token) → `unauthorized`; others → `bad_request`, with the user
 * message as the row's reason (e.g. "Event Timestamp Too Old").
 */
function classify(failure: HttpFailure): FailureClassification {
  const err = (failure.body as { error?: Record<string, unknown> } | undefined)?.error ?? {};
  const code = typeof err.code === "number" ? err.code : undefined;
  const title = typeof err.error_user_title === "string" ? err.error_user_title : undefined;
  const msg = typeof err.error_user_msg === "string" ? err.error_user_msg : typeof err.message === "string" ? err.message : undefined;
  const reason = [`code ${code ?? "?"}${typeof err.error_subcode === "number" ? `/${err.error_subcode}` : ""}`, title, msg].filter(Boolean).join(": ").slice(0, 300);
  return { kind: code === 190 || failure.status === 401 ? "unauthorized" : "bad_request", detail: reason, details: reason };
}

/** Emulator (and any future Meta) message saying an event was a duplicate: `event_id <id> deduplicated`. */
const DEDUP_MESSAGE = /^event_id (\S+) deduplicated/;

/** `user_data` parameter → the match-key name health reports. */
const META_KEY_NAMES: Record<string, string> = { em: "email", ph: "phone" };

/** One Backbeat event as a Meta server event (all fields per the server-event parameters page). */
function toServerEvent(e: SinkEvent): Record<string, unknown> {
  const userData: Record<string, unknown> = {};
  if (e.hashed.email?.length) userData.em = e.hashed.email;
  if (e.hashed.phone?.length) userData.ph = e.hashed.phone;
  if (e.hashed.externalId?.length) userData.external_id = e.hashed.externalId;
  // fbc / fbp are sent unhashed: Meta matches them as is.
  if (e.clickIds.fbc) userData.fbc = e.clickIds.fbc;
  if (e.clickIds.fbp) userData.fbp = e.clickIds.fbp;
  // Raw, never hashed (Meta hashes neither): the request's IP and user agent.
  if (e.client?.ipAddress) userData.client_ip_address = e.client.ipAddress;
  if (e.client?.userAgent) userData.client_user_agent = e.client.userAgent;
  // A website event requires client_user_agent (and event_source_url); an event without a
  // request (a STREAM in the Spotify app, a pre-save delivered by a job) is `other`.
  const website = Boolean(e.client?.userAgent);
  return {
    event_name: e.eventName,
    // Seconds, not ms (a 13-digit value is far in the future and is refused).
    event_time: Math.floor(e.eventTimeMs / 1000),
    event_id: e.eventId,
    action_source: website ? "website" : "other",
    event_source_url: e.sourceUrl,
    user_data: userData,
    ...(e.value ? { custom_data: { value: toMajorUnits(e.value.minor, e.value.currency), currency: e.value.currency.toLowerCase() } } : {}),
  };
}

/**
 * Meta Conversions API client: `POST {graph}/{pixel_id}/events` with `{ data: [...],
 * access_token, test_event_code? }` (the token in the body keeps it out of URLs and logs;
 * https://developers.facebook.com/documentation/ads-commerce/conversions-api/using-the-api).
 * `event_time` in SECONDS, ≤ 7 days old; `user_data.em` / `ph` / `external_id` SHA-256 hex;
 * `fbc` / `fbp`, `client_ip_address`, `client_user_agent` raw. `action_source` is `website`
 * when the event came from a request with a user agent (website events require
 * `client_user_agent`, `action_source` and `event_source_url`:
 * https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/), else
 * `other`. `custom_data.value` (major units) + `currency` when the event has a value. Dedupe with the pixel is by `event_name` + `event_id`
 * (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event/).
 * Meta is all-or-nothing per request: one bad event fails the batch (→ `unsent` for all,
 * resent one by one). 429 / 5xx / timeouts → `retry` (never retried in here: the outbox
 * reschedules, honouring `Retry-After`).
 */
export function createMetaConversions(options: { graphUrl: string; clock: Clock; fetch?: typeof fetch; logger?: Logger; timeoutMs?: number }): ConversionSink {
  const http = createHttpClient({
    provider: "meta",
    baseUrl: options.graphUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    timeoutMs: options.timeoutMs ?? 15_000,
    retries: 0,
    maxRetryAfterMs: 0,
    now: () => options.clock.now().getTime(),
    classify,
  });
  return {
    platform: "meta",
    batchLimit: META_CAPI_BATCH_LIMIT,
    matchKeys: (e) => Object.keys(toServerEvent(e).user_data as Record<string, unknown>).map((k) => META_KEY_NAMES[k] ?? k),
    async send({ destination, events }) {
      try {
        const body = await http.request({
          method: "POST",
          path: `/${encodeURIComponent(destination.accountId)}/events`,
          json: {
            data: events.map(toServerEvent),
            access_token: destination.accessToken,
            ...(destination.testCode ? { test_event_code: destination.testCode } : {}),
          },
          schema: eventsResponse,
          secrets: [destination.accessToken],
        });
        const duplicates = new Set(body.messages.map((m) => DEDUP_MESSAGE.exec(m)?.[1]).filter((id): id is string => Boolean(id)));
        const excerpt = JSON.stringify({ events_received: body.events_received, messages: body.messages.slice(0, 5), fbtrace_id: body.fbtrace_id }).slice(0, 500);
        return { httpStatus: 200, excerpt, outcomes: events.map((e) => ({ eventId: e.eventId, status: "accepted", deduplicated: duplicates.has(e.eventId) })) };
      } catch (error) {
        return outcomesForFailure(error, events);
      }
    },
  };
}
