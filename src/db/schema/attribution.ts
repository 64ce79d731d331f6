import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
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
}

/**
 * Append-only engagement events. `visitor_hash` is a salted, daily-rotating hash;
 * no raw IP is ever stored here (P11). Rows are only inserted, never updated, except
 * erasure, which deletes.
 */
export const engagementEvents = pgTable(
  "engagement_events",
  {
    id: text("id").primaryKey(),
    /** VIEW | SERVICE_CLICK | PRESAVE | AUTH | SAVE_TRACK | FOLLOW_ARTIST | PLAYBACK_STARTED | OPEN_IN_BROWSER | AUTH_FAILED */
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
  },
  (t) => [
    index("engagement_events_link_time_idx").on(t.smartLinkId, t.occurredAt),
    index("engagement_events_artist_time_idx").on(t.artistId, t.occurredAt),
    // Partial: most rows are anonymous views; the index serves per-fan lookups (erasure,
    // export, sync) and costs nothing on the landing-page write path.
    index("engagement_events_user_idx").on(t.playUserId).where(sql`${t.playUserId} is not null`),
  ],
);
