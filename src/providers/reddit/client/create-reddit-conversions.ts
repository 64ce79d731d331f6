import { z } from "zod";
import { toMajorUnits } from "../../../lib/money/to-major-units";
import type { Clock } from "../../../lib/clock";
import { createHttpClient, type FailureClassification, type HttpFailure } from "../../../lib/http/index";
import type { Logger } from "../../../lib/logger";
import type { ConversionSink, SinkEvent } from "../../conversion-sink/port";
import { outcomesForFailure } from "../../conversion-sink/outcomes-for-failure";

/**
 * Events per request we send to Reddit (v3 `conversion_events`). NOT verified against a
 * Reddit page: neither Reddit's v3 reference (https://ads-api.reddit.com/docs/v3/operations/Post%20Conversion%20Events)
 * nor its CAPI guides are in our docs corpus with a number. 1 000 is what RudderStack's Reddit
 * destination batches against the same v3 endpoint (rudder-transformer
 * `src/cdk/v2/destinations/reddit/config.js`, `maxBatchSize = 1000`) — secondary evidence.
 * Check it against the v3 reference before raising it. The emulator refuses more.
 */
export const REDDIT_CAPI_BATCH_LIMIT = 1000;

/** Reddit's standard tracking types; anything else is sent as `Custom` + `custom_event_name`. */
const STANDARD = new Set(["PageVisit", "ViewContent", "Search", "AddToCart", "AddToWishlist", "Purchase", "Lead", "SignUp"]);

const response = z.object({}).passthrough();

/** `{ error: { code, message, details?: [{ field, message }] } }` → reason; 401 → `unauthorized`. */
function classify(failure: HttpFailure): FailureClassification {
  const err = (failure.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const reason = `${String(err?.code ?? failure.status)}: ${String(err?.message ?? "rejected")}`.slice(0, 300);
  return { kind: failure.status === 401 ? "unauthorized" : failure.status === 403 ? "forbidden" : "bad_request", detail: reason, details: reason };
}

/** `user` field → the match-key name health reports. */
const REDDIT_KEY_NAMES: Record<string, string> = { phone_number: "phone", ip_address: "client_ip_address", user_agent: "client_user_agent" };

function toEvent(e: SinkEvent): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  if (e.hashed.email?.[0]) user.email = e.hashed.email[0];
  if (e.hashed.phone?.[0]) user.phone_number = e.hashed.phone[0];
  if (e.hashed.externalId?.[0]) user.external_id = e.hashed.externalId[0];
  // Raw: Reddit matches on the request's IP and user agent as given.
  if (e.client?.ipAddress) user.ip_address = e.client.ipAddress;
  if (e.client?.userAgent) user.user_agent = e.client.userAgent;
  const standard = STANDARD.has(e.eventName);
  return {
    // Milliseconds since the epoch (not seconds).
    event_at: e.eventTimeMs,
    action_source: "WEBSITE",
    type: standard ? { tracking_type: e.eventName } : { tracking_type: "Custom", custom_event_name: e.eventName },
    // The raw `rdt_cid` from the ad click URL: never hashed.
    ...(e.clickIds.rdtCid ? { click_id: e.clickIds.rdtCid } : {}),
    metadata: {
      conversion_id: e.eventId,
      ...(e.value ? { value: toMajorUnits(e.value.minor, e.value.currency), currency: e.value.currency.toUpperCase() } : {}),
    },
    user,
  };
}

/**
 * Reddit Conversions API v3: `POST {base}/api/v3/pixels/{pixel_id}/conversion_events` with a
 * Bearer conversion access token and `{ data: { test_id?, events: [...] } }`; `event_at` in
 * MILLISECONDS, `action_source` upper-case (`WEBSITE`), `type.tracking_type` (standard or
 * `Custom`), raw `click_id` (`rdt_cid`), `metadata.conversion_id` (dedupe with the pixel),
 * hashed `user.email` / `user.external_id`, raw `user.ip_address` / `user.user_agent`,
 * `metadata.value` (major units, a number) + `metadata.currency` (ISO 4217) — v3 replaced
 * v2's `value_decimal`. Sources: Reddit Ads API v3 reference
 * (https://ads-api.reddit.com/docs/v3/), the path as given in our issue #5 and partner docs
 * (https://doc.commandersact.com/features/destinations/destinations-catalog/reddit-conversions-api,
 * https://www.walkeros.io/docs/destinations/server/reddit). Batch size: REDDIT_CAPI_BATCH_LIMIT
 * (unverified). All-or-nothing per request
 * (→ `unsent`, resent one by one); 429 / 5xx → `retry`.
 */
export function createRedditConversions(options: { baseUrl: string; clock: Clock; fetch?: typeof fetch; logger?: Logger; timeoutMs?: number }): ConversionSink {
  const http = createHttpClient({
    provider: "reddit",
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    timeoutMs: options.timeoutMs ?? 15_000,
    retries: 0,
    maxRetryAfterMs: 0,
    now: () => options.clock.now().getTime(),
    classify,
  });
  return {
    platform: "reddit",
    batchLimit: REDDIT_CAPI_BATCH_LIMIT,
    matchKeys: (e) => {
      const sent = toEvent(e) as { click_id?: string; user: Record<string, unknown> };
      return [...(sent.click_id ? ["rdt_cid"] : []), ...Object.keys(sent.user).map((k) => REDDIT_KEY_NAMES[k] ?? k)];
    },
    async send({ destination, events }) {
      try {
        const body = await http.request({
          method: "POST",
          path: `/api/v3/pixels/${encodeURIComponent(destination.accountId)}/conversion_events`,
          headers: { authorization: `Bearer ${destination.accessToken}` },
          json: { data: { ...(destination.testCode ? { test_id: destination.testCode } : {}), events: events.map(toEvent) } },
          schema: response,
          secrets: [destination.accessToken],
        });
        const dups = new Set(Array.isArray((body as { deduplicated?: unknown }).deduplicated) ? ((body as { deduplicated: string[] }).deduplicated) : []);
        return { httpStatus: 200, excerpt: JSON.stringify(body).slice(0, 500), outcomes: events.map((e) => ({ eventId: e.eventId, status: "accepted", deduplicated: dups.has(e.eventId) })) };
      } catch (error) {
        return outcomesForFailure(error, events);
      }
    },
  };
}
