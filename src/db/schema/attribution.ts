import { sql } from "drizzle-orm";
import { bigint, boolean, customType, date, doublePrecision, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * PostgreSQL `xid8`: the 64-bit id of the transaction that wrote a row (read as text). The
 * analytics rollup job uses it as a watermark: rows below `pg_snapshot_xmin` of a snapshot
 * are settled (committed or rolled back), so a late-committing insert is never skipped.
 */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });
import { playUsers } from "./play";

/** Landing-path context carried by every engagement event (P08). */
export interface LandingContext {
  path: string;
  utm: Partial<Record<"source" | "medium" | "campaign" | "term" | "content", string>>;
  referrerHost: string | null;
  /** Names of the ad-click ids present on the landing URL (values are not kept here). */
  clickIds: string[];
  country: string | null;
  deviceClass: "mobile" | "tablet" | "desktop" | "bot" | "unknown";
  inAppBrowser: string | null;
  locale: string | null;
  /**
   * The theme of the page the fan saw (`classic`, `brutalist`, `aurora`, `cinematic`):
   * the landing's for a VIEW, the one carried from that landing for its Save, service click
   * and open-in-browser (and so for the AUTH / SAVE / FOLLOW / STREAM that follow). Absent
   * on events written before it was recorded: the rollups then use `detail.theme`, else the
   * link's (or hub's) theme at recompute time.
   */
  theme?: string | null;
}

/**
 * Append-only engagement events. `visitor_hash` is a salted, daily-rotating hash;
 * no raw IP is ever stored here (P11). Rows are only inserted, never updated, except
 * erasure, which deletes. STREAM rows (derived by fan sync) have `occurred_at` = Spotify's
 * `played_at` and carry the touchpoint (the AUTH/SAVE/FOLLOW/PRESAVE event) in `detail`.
 */
export const engagementEvents = pgTable(
  "engagement_events",
  {
    id: text("id").primaryKey(),
    /** VIEW | SERVICE_CLICK | PRESAVE | AUTH | SAVE_TRACK | FOLLOW_ARTIST | PLAYBACK_STARTED | OPEN_IN_BROWSER | AUTH_FAILED | STREAM | UNSAVE_TRACK | UNFOLLOW_ARTIST */
    type: text("type").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    artistId: text("artist_id").notNull(),
    smartLinkId: text("smart_link_id"),
    /** Erasing a Play user erases its events, including ones written while it was erased. */
    playUserId: text("play_user_id").references(() => playUsers.id, { onDelete: "cascade" }),
    visitorHash: text("visitor_hash"),
    context: jsonb("context").$type<LandingContext>().notNull(),
    /** Event-specific detail, e.g. `{ service }`, `{ reason }`, `{ device }`. */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    /** Writing transaction (`pg_current_xact_id()`), for the analytics rollup watermark. Never set by callers. */
    writtenXid: xid8("written_xid").notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index("engagement_events_written_xid_idx").on(t.writtenXid),
    index("engagement_events_link_time_idx").on(t.smartLinkId, t.occurredAt),
    index("engagement_events_artist_time_idx").on(t.artistId, t.occurredAt),
    // Partial: most rows are anonymous views; the index serves per-fan lookups (erasure,
    // export, sync) and costs nothing on the landing-page write path.
    index("engagement_events_user_idx").on(t.playUserId).where(sql`${t.playUserId} is not null`),
    // A fan's touchpoints (fan sync reads them every hour): without it the hourly read
    // would walk all of the fan's STREAM rows too (hundreds a week for a regular listener).
    index("engagement_events_touchpoint_idx")
      .on(t.playUserId, t.occurredAt)
      .where(sql`${t.type} in ('AUTH', 'SAVE_TRACK', 'FOLLOW_ARTIST', 'PRESAVE') and ${t.smartLinkId} is not null and ${t.playUserId} is not null`),
    // (fan, track, played_at) for STREAM events: see STREAM_DEDUPE_INDEX.
    uniqueIndex("engagement_events_stream_uq")
      .on(t.playUserId, sql`(${t.detail}->>'trackId')`, t.occurredAt)
      .where(sql`${t.type} = 'STREAM'`),
  ],
);

/**
 * STREAM events are deduplicated on (fan, track, `played_at`): `occurred_at` of a STREAM is
 * Spotify's `played_at` (end of the play) and `detail.trackId` the canonical track id (the
 * id on our release, also when Spotify relinked it). Replaying a sync inserts nothing twice.
 */
export const STREAM_DEDUPE_INDEX = "engagement_events_stream_uq";

/**
 * Per-fan sync bookkeeping: the recently-played cursor and whether the fan is still polled.
 * `status`:
 * - `active` — polled by the planner while the fan has engagement inside a window;
 * - `expired` — refresh token older than six months: never polled again (consent again);
 * - `revocation_suspected` — one `invalid_grant`; a confirmation job runs after a delay;
 * - `deletion_paused` — revocation confirmed during a revocation burst: waits for an
 *   operator (`attribution.resume-deletions`).
 * A confirmed revocation outside a burst deletes the Play user, and with it this row.
 */
export const fanSyncStates = pgTable(
  "fan_sync_states",
  {
    playUserId: text("play_user_id")
      .primaryKey()
      .references(() => playUsers.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("active"),
    /** Spotify `after` cursor: Unix ms of the newest play already read. */
    afterMs: bigint("after_ms", { mode: "number" }),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    /** Last saved/followed-state check (daily, or sooner after a new save or follow). */
    libraryCheckedAt: timestamp("library_checked_at", { withTimezone: true }),
    lastError: text("last_error"),
    suspectedAt: timestamp("suspected_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("fan_sync_states_status_idx").on(t.status)],
);

/**
 * Plays that may have been missed: Spotify returned a full page (50) whose oldest play
 * ended after our cursor, so plays between `from_ms` and `to_ms` were possibly dropped
 * from the fan's last-50 history before we read it.
 */
export const fanSyncGaps = pgTable(
  "fan_sync_gaps",
  {
    id: text("id").primaryKey(),
    playUserId: text("play_user_id")
      .notNull()
      .references(() => playUsers.id, { onDelete: "cascade" }),
    fromAt: timestamp("from_at", { withTimezone: true }).notNull(),
    toAt: timestamp("to_at", { withTimezone: true }).notNull(),
    detectedAt: timestamp("detected_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("fan_sync_gaps_user_idx").on(t.playUserId), index("fan_sync_gaps_detected_idx").on(t.detectedAt)],
);

/**
 * Save retention: the last known saved/followed state of each item a fan saved or followed
 * through Backbeat (`uri` = `spotify:album:…` / `spotify:artist:…`). A transition from saved
 * to not saved also appends an UNSAVE_TRACK / UNFOLLOW_ARTIST event.
 */
export const fanLibraryStates = pgTable(
  "fan_library_states",
  {
    playUserId: text("play_user_id")
      .notNull()
      .references(() => playUsers.id, { onDelete: "cascade" }),
    uri: text("uri").notNull(),
    artistId: text("artist_id").notNull(),
    smartLinkId: text("smart_link_id"),
    saved: boolean("saved").notNull(),
    /** When this state was first seen or last changed; `fan_sync_states.last_synced_at` is the last confirmation. */
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull(),
    /** When `saved` last changed (first check included). */
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.playUserId, t.uri] }), index("fan_library_states_artist_idx").on(t.artistId, t.saved)],
);

/**
 * Confirmed revocations (second `invalid_grant`), kept without the fan's identity once the
 * fan is deleted (`play_user_id` set null), so a burst across many fans can be counted.
 * `outcome`: `deleted` | `paused`.
 */
export const fanRevocations = pgTable(
  "fan_revocations",
  {
    id: text("id").primaryKey(),
    playUserId: text("play_user_id").references(() => playUsers.id, { onDelete: "set null" }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }).notNull(),
    outcome: text("outcome").notNull(),
  },
  (t) => [index("fan_revocations_confirmed_idx").on(t.confirmedAt)],
);

/**
 * Operator-visible alerts. `kind = revocation_burst`: deletions on revocation are paused
 * while an alert of that kind has `cleared_at` null. Cleared by `attribution.resume-deletions`.
 */
export const syncAlerts = pgTable(
  "sync_alerts",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    message: text("message").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull(),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
  },
  (t) => [index("sync_alerts_open_idx").on(t.kind).where(sql`${t.clearedAt} is null`)],
);

/**
 * App-wide token buckets shared by every node (one row per provider). A taker adds
 * `rate × elapsed` (capped at `capacity`) and removes what it takes in one UPDATE, so nodes
 * never overspend together.
 */
export const rateBuckets = pgTable("rate_buckets", {
  name: text("name").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/**
 * Explainable exclusions of engagement (traffic quality and fraud). Events stay append-only
 * and stored; a flag excludes them from valuations, analytics "counted" figures and
 * conversion reporting, with `reason` shown to the artist. A flag names one event
 * (`event_id`) or a whole fan (`play_user_id`: every event of that fan from `flagged_at`'s
 * `scope_from` on). Lifting a flag sets `cleared_at`; rows are never deleted except by erasure.
 */
export const engagementFlags = pgTable(
  "engagement_flags",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").references(() => engagementEvents.id, { onDelete: "cascade" }),
    playUserId: text("play_user_id").references(() => playUsers.id, { onDelete: "cascade" }),
    artistId: text("artist_id"),
    /** e.g. `shared_device`, `rapid_unrelated_saves`, `looped_track`, `datacenter_ip`, `velocity`. */
    reason: text("reason").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    /** Events of a flagged fan that occurred at or after this time are excluded. */
    scopeFrom: timestamp("scope_from", { withTimezone: true }),
    flaggedAt: timestamp("flagged_at", { withTimezone: true }).notNull(),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
  },
  (t) => [
    index("engagement_flags_event_idx").on(t.eventId).where(sql`${t.eventId} is not null`),
    index("engagement_flags_user_idx").on(t.playUserId).where(sql`${t.playUserId} is not null`),
    uniqueIndex("engagement_flags_user_reason_uq").on(t.playUserId, t.reason).where(sql`${t.playUserId} is not null and ${t.clearedAt} is null`),
    uniqueIndex("engagement_flags_event_reason_uq").on(t.eventId, t.reason).where(sql`${t.eventId} is not null`),
  ],
);

/**
 * Aggregated raw requests (traffic quality), one row per UTC day, artist, smart link (`''`
 * for an artist hub), kind and reason. `kind`: `visit` (a landing page) or `service_click`
 * (a tracked outbound click, `…/go/{service}`). `reason`: `counted` for counted human
 * requests (each also one VIEW / SERVICE_CLICK event), else the exclusion reason — `bot`,
 * `link_preview`, `head`, `prefetch`, `datacenter_ip`, `velocity_visitor`, `velocity_link`,
 * `duplicate` (a repeat inside the dedupe window). Raw requests = the sum over all reasons
 * of one kind. Written in batches by the event buffer with `on conflict do update set
 * requests = requests + excluded.requests`, so a repeated request never adds a row. Holds
 * no visitor identity at all (P11).
 */
export const trafficCounters = pgTable(
  "traffic_counters",
  {
    day: date("day", { mode: "string" }).notNull(),
    artistId: text("artist_id").notNull(),
    smartLinkId: text("smart_link_id").notNull().default(""),
    reason: text("reason").notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    /** `visit` | `service_click`. Rows written before the column existed are visits. */
    kind: text("kind").notNull().default("visit"),
  },
  (t) => [primaryKey({ columns: [t.day, t.artistId, t.smartLinkId, t.kind, t.reason] })],
);
