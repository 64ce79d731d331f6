import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { artists, smartLinks } from "./play";

/**
 * Analytics rollups (attribution module). Raw `engagement_events` stay the source of truth:
 * every row here is a deterministic function of the events (and open flags) of one
 * `(artist_id, day)` slice, recomputed as a whole by `attribution.update-rollups` or
 * `backbeat analytics rebuild-rollups`, so re-running never double counts.
 *
 * `day` is the UTC date of `occurred_at`. `smart_link_id` is `''` for events without a smart
 * link (the artist hub). `type` is the engagement event type (VIEW, SAVE_TRACK, STREAM…).
 */
export const analyticsDaily = pgTable(
  "analytics_daily",
  {
    artistId: text("artist_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    smartLinkId: text("smart_link_id").notNull(),
    type: text("type").notNull(),
    /** Counted events: not flagged by an open `engagement_flags` row. */
    events: integer("events").notNull(),
    /** Events excluded by an open flag (stored, not counted). */
    flagged: integer("flagged").notNull(),
    /** Distinct `visitor_hash` of counted events that day (hashes rotate daily: sum days for a range). */
    uniques: integer("uniques").notNull(),
    /** Distinct Play users of counted events that day. */
    fans: integer("fans").notNull(),
  },
  // Artist first, then day: a report is one range scan of the artist's days.
  (t) => [primaryKey({ columns: [t.artistId, t.day, t.smartLinkId, t.type] })],
);

/**
 * Counted events of one slice broken down by one dimension: `country`, `referrer`,
 * `utm_source`, `utm_medium`, `utm_campaign`, `device`, `locale`, `theme`, `in_app_browser`,
 * `click_id` (one row per click-id name; `''` = none) and `service` (SERVICE_CLICK only).
 * `value` is `''` when the event has no value for the dimension.
 */
export const analyticsDailyBreakdowns = pgTable(
  "analytics_daily_breakdowns",
  {
    artistId: text("artist_id").notNull(),
    dimension: text("dimension").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    smartLinkId: text("smart_link_id").notNull(),
    type: text("type").notNull(),
    value: text("value").notNull(),
    events: integer("events").notNull(),
    uniques: integer("uniques").notNull(),
    fans: integer("fans").notNull(),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.dimension, t.day, t.smartLinkId, t.type, t.value] })],
);

/**
 * Slices whose rollups must be recomputed: marked by the watermark scan (new events), by a
 * flag raised or cleared, by erasure (P17) and by a rebuild. Consumed by
 * `attribution.update-rollups`.
 */
export const analyticsDirtyDays = pgTable(
  "analytics_dirty_days",
  {
    artistId: text("artist_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    markedAt: timestamp("marked_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.day] })],
);

/**
 * Watermarks of the incremental rollup job. `events`: the transaction-id horizon
 * (`pg_snapshot_xmin`) below which every `engagement_events` row has been seen. Stored as
 * text because it is an `xid8`.
 */
export const analyticsWatermarks = pgTable("analytics_watermarks", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/** Flag states already reflected in the rollups (`active` = `cleared_at is null` then). */
export const analyticsFlagStates = pgTable("analytics_flag_states", {
  flagId: text("flag_id").primaryKey(),
  active: boolean("active").notNull(),
});

/**
 * Spend per UTM campaign (valuation). `source`: `manual` (entered by the artist); the
 * campaigns issue adds imported ad spend to the same table with its own source. A row covers
 * `day_from`..`day_to` (UTC dates, inclusive), spread evenly over those days. `smart_link_id`
 * null = the whole campaign (allocated to links by their share of the campaign's visits).
 * `amount_minor` is in the currency's minor units (cents); `currency` an ISO 4217 code.
 */
export const artistSpend = pgTable(
  "artist_spend",
  {
    id: text("id").primaryKey(),
    artistId: text("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    source: text("source").notNull().default("manual"),
    utmCampaign: text("utm_campaign").notNull(),
    smartLinkId: text("smart_link_id").references(() => smartLinks.id, { onDelete: "cascade" }),
    dayFrom: date("day_from", { mode: "string" }).notNull(),
    dayTo: date("day_to", { mode: "string" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("artist_spend_artist_idx").on(t.artistId, t.dayFrom)],
);

/** The artist's value of one event type for conversion reporting (minor units + ISO 4217). */
export const artistEventValues = pgTable(
  "artist_event_values",
  {
    artistId: text("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.eventType] })],
);
