import { boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { playUsers } from "./play";

/** What a consent record is about: `ads` = ad measurement (click-id cookies, pixels, Conversions APIs). */
export type ConsentScope = "ads" | "analytics";
/** The operator's consent mode when the choice was recorded (config `CONSENT_MODE`). */
export type ConsentModeRecorded = "opt-in" | "opt-out" | "off";

/**
 * Fans' consent choices (PROMISES P10, P12). Append-only: a new choice is a new row; the
 * latest row (by `recorded_at`, then `id`) per subject and scope wins.
 *
 * - `subject`: the visitor's first-party consent id (the random value of the `bb_cid`
 *   cookie; never derived from an IP address or anything else about the visitor).
 * - `play_user_id`: set when the fan's Spotify authorization links this browser to a Play
 *   user; erasing the Play user deletes these rows (cascade) as well as the subject's rows.
 * - `granted`: true = accepted, false = declined or withdrawn.
 */
export const consentRecords = pgTable(
  "consent_records",
  {
    id: text("id").primaryKey(),
    subject: text("subject").notNull(),
    playUserId: text("play_user_id").references(() => playUsers.id, { onDelete: "cascade" }),
    scope: text("scope").$type<ConsentScope>().notNull(),
    granted: boolean("granted").notNull(),
    policyVersion: text("policy_version").notNull(),
    mode: text("mode").$type<ConsentModeRecorded>().notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("consent_records_subject_idx").on(t.subject, t.scope, t.recordedAt),
    index("consent_records_user_idx").on(t.playUserId, t.scope, t.recordedAt),
  ],
);
