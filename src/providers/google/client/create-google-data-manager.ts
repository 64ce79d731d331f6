import { z } from "zod";
import { toMajorUnits } from "../../../lib/money/to-major-units";
import type { Clock } from "../../../lib/clock";
import { createHttpClient, type FailureClassification, type HttpFailure } from "../../../lib/http/index";
import { isProviderError } from "../../../lib/provider-error";
import type { Logger } from "../../../lib/logger";
import type { ConversionSink, SinkEvent, SinkOutcome } from "../../conversion-sink/port";
import { outcomesForFailure } from "../../conversion-sink/outcomes-for-failure";

/**
 * IngestEventsRequest: "2,000 Event resources in the events list" (and at most 10 user
 * identifiers per event) — https://developers.google.com/data-manager/api/devguides/limits,
 * also https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest.
 * The emulator refuses more with the same number.
 */
export const GOOGLE_INGEST_BATCH_LIMIT = 2000;

const ingestResponse = z.object({ requestId: z.string().optional() });

interface Violation {
  index: number;
  description: string;
}

/**
 * `google.rpc.Status` errors `{ error: { code, message, status, details: [{ "@type": …BadRequest, fieldViolations: [{ field, description }] }] } }`.
 * 401 / UNAUTHENTICATED → `unauthorized`; 400 → `bad_request` with the per-event violations
 * (`events[<i>]…` fields) kept as `details` for partial-failure reporting.
 */
function classify(failure: HttpFailure): FailureClassification {
  const err = (failure.body as { error?: { message?: unknown; status?: unknown; details?: unknown } } | undefined)?.error;
  const message = typeof err?.message === "string" ? err.message : `status ${failure.status}`;
  const violations: Violation[] = [];
  for (const d of Array.isArray(err?.details) ? (err.details as Array<Record<string, unknown>>) : []) {
    for (const v of Array.isArray(d.fieldViolations) ? (d.fieldViolations as Array<Record<string, unknown>>) : []) {
      const m = /^events\[(\d+)\]/.exec(String(v.field ?? ""));
      if (m) violations.push({ index: Number(m[1]), description: `${String(v.field)}: ${String(v.description ?? "invalid")}`.slice(0, 300) });
    }
  }
  const kind = failure.status === 401 || err?.status === "UNAUTHENTICATED" ? "unauthorized" : failure.status === 403 ? "forbidden" : "bad_request";
  return { kind, detail: `${String(err?.status ?? "")} ${message}`.trim(), details: violations.length ? { violations } : message.slice(0, 300) };
}

/**
 * Countries whose end users' IP addresses Google Ads does not take (EEA, UK, Switzerland;
 * https://developers.google.com/data-manager/api/reference/rest/v1/DeviceInfo).
 */
const NO_IP_MATCHING = new Set(
  ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "CH"],
);

/** RFC 3339 with an explicit `+00:00` offset (protobuf Timestamp JSON; a missing offset is refused). */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function toEvent(e: SinkEvent): Record<string, unknown> {
  // Exactly one click id: gclid first, then gbraid (app), then wbraid (web) — never two.
  const adIdentifiers = e.clickIds.gclid ? { gclid: e.clickIds.gclid } : e.clickIds.gbraid ? { gbraid: e.clickIds.gbraid } : e.clickIds.wbraid ? { wbraid: e.clickIds.wbraid } : undefined;
  const identifiers = [...(e.hashed.email ?? []).map((h) => ({ emailAddress: h })), ...(e.hashed.phone ?? []).map((h) => ({ phoneNumber: h }))];
  // Google Ads does not match IP addresses of end users in the EEA, the UK or Switzerland
  // (DeviceInfo.ip_address): the IP is left out there, and when the country is unknown.
  const ipAddress = e.client?.ipAddress && e.client.country && !NO_IP_MATCHING.has(e.client.country.toUpperCase()) ? e.client.ipAddress : undefined;
  const device = { ...(e.client?.userAgent ? { userAgent: e.client.userAgent } : {}), ...(ipAddress ? { ipAddress } : {}) };
  return {
    transactionId: e.eventId,
    eventTimestamp: rfc3339(e.eventTimeMs),
    eventSource: "WEB",
    ...(adIdentifiers ? { adIdentifiers } : {}),
    ...(identifiers.length ? { userData: { userIdentifiers: identifiers } } : {}),
    ...(Object.keys(device).length ? { eventDeviceInfo: device } : {}),
    ...(e.value ? { conversionValue: toMajorUnits(e.value.minor, e.value.currency), currency: e.value.currency.toUpperCase() } : {}),
    // Only fans who gave ad consent reach a sink (ConsentGate), so both are granted.
    consent: { adUserData: "CONSENT_GRANTED", adPersonalization: "CONSENT_GRANTED" },
  };
}

/**
 * Google Data Manager API event ingest: `POST {base}/v1/events:ingest` with a Bearer token
 * (scope `https://www.googleapis.com/auth/datamanager`), body `{ destinations: [{
 * operatingAccount: { accountType: GOOGLE_ADS, accountId }, productDestinationId }], events,
 * encoding: HEX, validateOnly }` (https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest,
 * https://developers.google.com/data-manager/api/devguides/events/send-events). Each event has
 * `transactionId` (our event id: Google dedupes on it), `eventTimestamp` (RFC 3339 with
 * offset), exactly one of gclid / gbraid / wbraid, hashed `userData` (Google's
 * normalization: https://developers.google.com/data-manager/api/devguides/concepts/formatting),
 * `eventDeviceInfo.userAgent` / `ipAddress` (the IP not for EEA / UK / CH fans), and
 * `conversionValue` (major units) + `currency` when the event has a value.
 * A 400 whose field violations name `events[i]` is a partial failure: those events are
 * `rejected` with the reason, the others `unsent` (sent again without them).
 * `testCode` set → `validateOnly: true` (validated, not ingested).
 */
export function createGoogleDataManager(options: { baseUrl: string; clock: Clock; fetch?: typeof fetch; logger?: Logger; timeoutMs?: number }): ConversionSink {
  const http = createHttpClient({
    provider: "google",
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
    platform: "google",
    batchLimit: GOOGLE_INGEST_BATCH_LIMIT,
    matchKeys: (e) => {
      const sent = toEvent(e) as { adIdentifiers?: Record<string, string>; userData?: { userIdentifiers: Array<Record<string, string>> }; eventDeviceInfo?: { userAgent?: string; ipAddress?: string } };
      return [
        ...Object.keys(sent.adIdentifiers ?? {}),
        ...new Set((sent.userData?.userIdentifiers ?? []).map((i) => ("emailAddress" in i ? "email" : "phone"))),
        ...(sent.eventDeviceInfo?.ipAddress ? ["client_ip_address"] : []),
        ...(sent.eventDeviceInfo?.userAgent ? ["client_user_agent"] : []),
      ];
    },
    async send({ destination, events }) {
      try {
        const body = await http.request({
          method: "POST",
          path: "/v1/events:ingest",
          headers: { authorization: `Bearer ${destination.accessToken}` },
          json: {
            destinations: [
              {
                operatingAccount: { accountType: "GOOGLE_ADS", accountId: destination.accountId },
                productDestinationId: destination.conversionActionId ?? "",
              },
            ],
            events: events.map(toEvent),
            encoding: "HEX",
            validateOnly: Boolean(destination.testCode),
          },
          schema: ingestResponse,
          secrets: [destination.accessToken],
        });
        return { httpStatus: 200, excerpt: JSON.stringify(body).slice(0, 500), outcomes: events.map((e) => ({ eventId: e.eventId, status: "accepted" })) };
      } catch (error) {
        const details = isProviderError(error) ? (error.details as { violations?: Violation[] } | undefined) : undefined;
        if (isProviderError(error) && !error.retryable && details && typeof details === "object" && details.violations?.length) {
          const byIndex = new Map(details.violations.map((v) => [v.index, v.description]));
          const outcomes: SinkOutcome[] = events.map((e, i) => (byIndex.has(i) ? { eventId: e.eventId, status: "rejected", reason: byIndex.get(i) } : { eventId: e.eventId, status: "unsent" }));
          return { httpStatus: error.status, excerpt: error.message.slice(0, 500), outcomes };
        }
        return outcomesForFailure(error, events);
      }
    },
  };
}
