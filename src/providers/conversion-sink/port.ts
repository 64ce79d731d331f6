/**
 * `ConversionSink` (PRODUCT.md §4): what Backbeat needs from an ad platform's conversions
 * API — send a batch of conversion events for one destination and learn, per event,
 * whether it was accepted, rejected for good, or should be tried again.
 * Adapters: Meta Conversions API, Google Data Manager API, Reddit Conversions API v3.
 */

export type SinkPlatform = "meta" | "google" | "reddit";

/** Ad-click ids, validated when captured (first-party cookies, P10). Sent raw: platforms match them as is. */
export interface SinkClickIds {
  gclid?: string | undefined;
  gbraid?: string | undefined;
  wbraid?: string | undefined;
  /** `fb.1.<ms>.<fbclid>` */
  fbc?: string | undefined;
  fbp?: string | undefined;
  rdtCid?: string | undefined;
}

/**
 * One conversion, platform-neutral except for `hashed`: identifiers are ALREADY normalized
 * and SHA-256 hex-hashed with this platform's rules (P12) — an adapter never sees a raw
 * e-mail or phone number.
 */
export interface SinkEvent {
  /** Backbeat's engagement event id: the platforms' `event_id` / `transactionId` / `conversion_id` (dedupe key). */
  eventId: string;
  /** The platform event name from the mapping (standard or custom). */
  eventName: string;
  /** Unix ms, UTC. Adapters convert (Meta: seconds; Reddit: ms; Google: RFC 3339 with offset). */
  eventTimeMs: number;
  /** Page where it happened (smart link URL). */
  sourceUrl: string;
  /** Minor units of `currency` (ISO 4217). */
  value?: { minor: number; currency: string } | undefined;
  clickIds: SinkClickIds;
  /**
   * The fan's device at event time (request IP and user agent; country from the landing
   * context, ISO 3166-1 alpha-2). Absent for events without a request (STREAM, jobs).
   * Sent raw: the platforms hash / use them themselves (Meta `client_ip_address` /
   * `client_user_agent`, Reddit `user.ip_address` / `user_agent`, Google `eventDeviceInfo`).
   */
  client?: { ipAddress?: string | undefined; userAgent?: string | undefined; country?: string | null | undefined } | undefined;
  hashed: { email?: string[]; phone?: string[]; externalId?: string[] };
}

export interface SinkDestination {
  /** Meta pixel / dataset id; Google Ads customer id (operating account); Reddit pixel id. */
  accountId: string;
  /** Google conversion action id (product destination id). */
  conversionActionId?: string | null | undefined;
  /** Opened (unsealed) access token: kept out of every log and error. */
  accessToken: string;
  /** Meta `test_event_code`; Reddit `test_id`; Google: `validateOnly`. */
  testCode?: string | null | undefined;
}

/**
 * Per-event outcome:
 * - `accepted` (with `deduplicated` when the platform says it had this event id already);
 * - `rejected`: permanent, with the platform's `reason`;
 * - `retry`: transient (429 / 5xx / timeout), with `retryAfterMs` when the platform gave one;
 * - `unsent`: the platform refused the whole batch because of another event (all-or-nothing
 *   APIs): send again, alone, without counting an attempt.
 */
export interface SinkOutcome {
  eventId: string;
  status: "accepted" | "rejected" | "retry" | "unsent";
  reason?: string | undefined;
  deduplicated?: boolean | undefined;
  retryAfterMs?: number | undefined;
}

export interface SinkResult {
  outcomes: SinkOutcome[];
  /** HTTP status of the call (undefined on timeouts / network errors). */
  httpStatus: number | undefined;
  /** ≤ 500 chars of the response (or error), credentials scrubbed. */
  excerpt: string;
}

export interface ConversionSink {
  readonly platform: SinkPlatform;
  /** Most events one call may carry (Meta 1 000, Google 2 000, Reddit 1 000). */
  readonly batchLimit: number;
  /** Never throws for platform answers: failures come back as outcomes. */
  send(input: { destination: SinkDestination; events: SinkEvent[] }): Promise<SinkResult>;
  /**
   * The match keys this platform's request carries for `event` (what health reports as
   * "match keys present"): click ids by their parameter name (`fbc`, `fbp`, `gclid`,
   * `gbraid`, `wbraid`, `rdt_cid`), `email`, `phone`, `external_id`, `client_ip_address`,
   * `client_user_agent` — only those the adapter actually puts in the payload.
   */
  matchKeys(event: SinkEvent): string[];
}
