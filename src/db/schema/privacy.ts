import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Data-deletion requests (P17). Holds no personal data: only the confirmation code the
 * fan was given, how control was proven, and when the erasure ran.
 */
export const deletionRequests = pgTable(
  "deletion_requests",
  {
    id: text("id").primaryKey(),
    confirmationCode: text("confirmation_code").notNull(),
    /** `play_cookie` | `spotify_sign_in`. */
    proof: text("proof").notNull(),
    /** `completed` (everything erased) | `no_data` (nothing was held). */
    status: text("status").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("deletion_requests_code_uq").on(t.confirmationCode)],
);
