import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { engagementEvents } from "./attribution";
import { artists } from "./play";

/** Where conversions go. A missing adapter for one of these is a compile error (`Record<ConversionPlatform, …>`). */
export type ConversionPlatform = "meta" | "google" | "reddit";
export const CONVERSION_PLATFORMS: readonly ConversionPlatform[] = ["meta", "google", "reddit"];

/**
 * Per-artist delivery destination, one per platform. `account_id` is the Meta pixel /
 * dataset id, the Google Ads customer id (operating account) or the Reddit pixel id;
 * `conversion_action_id` is Google's product destination (conversion action) id.
 * `access_token_sealed` is sealed with the key ring at `conversion_destinations.access_token:<id>`.
 * `test_code`: Meta `test_event_code`, Reddit `test_id`; for Google it turns on `validateOnly`.
 */
export const conversionDestinations = pgTable(
  "conversion_destinations",
  {
    id: text("id").primaryKey(),
    artistId: text("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    platform: text("platform").$type<ConversionPlatform>().notNull(),
    accountId: text("account_id").notNull(),
    conversionActionId: text("conversion_action_id"),
    accessTokenSealed: text("access_token_sealed").notNull(),
    testCode: text("test_code"),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("conversion_destinations_artist_platform_uq").on(t.artistId, t.platform)],
);

/**
 * Per-artist overrides of the Backbeat event → platform event mapping (defaults live in
 * code: `DEFAULT_EVENT_MAPPING`). `event_name` null = keep the default name; `enabled`
 * false = never send this event type to this platform. `value_minor` + `currency`: the
 * conversion value until attribution's valuation is wired in (integration point).
 */
export const conversionEventMappings = pgTable(
  "conversion_event_mappings",
  {
    id: text("id").primaryKey(),
    artistId: text("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    platform: text("platform").$type<ConversionPlatform>().notNull(),
    /** SERVICE_CLICK | PRESAVE | SAVE_TRACK | FOLLOW_ARTIST | STREAM */
    eventType: text("event_type").notNull(),
    eventName: text("event_name"),
    enabled: boolean("enabled").notNull().default(true),
    /** Minor units (cents) of `currency`. */
    valueMinor: integer("value_minor"),
    currency: text("currency"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("conversion_event_mappings_uq").on(t.artistId, t.platform, t.eventType)],
);

/**
 * `pending` → `delivered` | `rejected` (permanent, platform reason) | `dropped` (never
 * sent: `consent_withdrawn`, `stale`, `no_click_id`, `destination_disabled`) | back to
 * `pending` with a later `next_attempt_at` after a retryable failure.
 */
export type OutboxStatus = "pending" | "delivered" | "rejected" | "dropped";

/**
 * Durable outbox: one row per (engagement event, destination), written in the event's
 * transaction (`enqueueConversions`; the sweeper `conversions.plan` adds rows for
 * destinations created later). The platform `event_id` is the engagement event id, so a
 * resend is deduplicated by the platform too. No hashed identifier is stored here:
 * payloads are built (and hashed) at delivery time from the event; only the sealed client
 * IP / user agent live here, and only until the row's final status.
 * Erasure: rows go with their event (FK cascade; the event goes with its Play user).
 */
export const conversionOutbox = pgTable(
  "conversion_outbox",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => engagementEvents.id, { onDelete: "cascade" }),
    destinationId: text("destination_id")
      .notNull()
      .references(() => conversionDestinations.id, { onDelete: "cascade" }),
    artistId: text("artist_id").notNull(),
    platform: text("platform").$type<ConversionPlatform>().notNull(),
    /**
     * The event's fan (copied for reading; no FK and no index of its own: rows go with their
     * event, whose FK cascades from `play_users`, and per-fan lookups go through the events'
     * fan index and `event_id` — one index fewer to maintain on every outbox write).
     */
    playUserId: text("play_user_id"),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    /** Platform reason for `rejected`, our reason for `dropped`, last error while retrying. */
    reason: text("reason"),
    /** The platform reported it had seen this `event_id` already (emulator / Meta messages). */
    deduplicated: boolean("deduplicated").notNull().default(false),
    /** Names of the match keys sent (e.g. `fbc`, `gclid`, `external_id`), never values. */
    matchKeys: jsonb("match_keys").$type<string[]>().notNull().default([]),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    /**
     * The fan's client IP address and user agent at event time (P11, P12), for the platforms
     * that match on them (Meta `client_ip_address` / `client_user_agent`, Reddit
     * `user.ip_address` / `user_agent`, Google `eventDeviceInfo`): JSON `{ ip, ua }` sealed
     * with the key ring at `conversion_outbox.client:<event_id>` (bound to the event, shared
     * by its rows for each destination). Never stored on `engagement_events`. Set NULL as
     * soon as the row is delivered, rejected or dropped.
     */
    clientSealed: text("client_sealed"),
    /** The browser's consent id (`bb_cid`) at event time, for the delivery-time consent check of an event without a fan. Cleared with the above. */
    consentSubject: text("consent_subject"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("conversion_outbox_event_destination_uq").on(t.eventId, t.destinationId),
    // Delivery reads a destination's due rows in (next_attempt_at, id) order: straight off this index.
    index("conversion_outbox_due_idx").on(t.destinationId, t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`),
    // Small: the consent id is kept only on rows not yet final (withdrawal drops them by it).
    index("conversion_outbox_subject_idx").on(t.consentSubject).where(sql`${t.consentSubject} is not null`),
    // The dashboard's delivery log (per artist, newest first) and health over a range (per destination).
    index("conversion_outbox_artist_log_idx").on(t.artistId, t.createdAt, t.id),
    index("conversion_outbox_destination_created_idx").on(t.destinationId, t.createdAt),
  ],
);

/**
 * One row per outbox row per delivery attempt. `status`: `accepted` | `rejected` |
 * `retry` | `dropped`. `response_excerpt` is ≤ 500 chars with credentials scrubbed.
 */
export const conversionAttempts = pgTable(
  "conversion_attempts",
  {
    id: text("id").primaryKey(),
    outboxId: text("outbox_id")
      .notNull()
      .references(() => conversionOutbox.id, { onDelete: "cascade" }),
    destinationId: text("destination_id").notNull(),
    status: text("status").notNull(),
    httpStatus: integer("http_status"),
    responseExcerpt: text("response_excerpt"),
    durationMs: integer("duration_ms").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("conversion_attempts_outbox_idx").on(t.outboxId), index("conversion_attempts_destination_idx").on(t.destinationId, t.attemptedAt)],
);
