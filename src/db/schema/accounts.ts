import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { artists } from "./play";

/*
 * The accounts domain (issue 3, P05): organizations, roles, direct artist grants,
 * invitations, API keys, the audit log and API idempotency keys.
 * Roles are `admin` > `editor` > `viewer` (text, checked by the verbs).
 */

/** A label or management company that groups artists. */
export const organizations = pgTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/** A user's role in an organization; carries to every artist of that organization. */
export const organizationMembers = pgTable(
  "organization_members",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("organization_members_user_idx").on(t.userId)],
);

/** A direct grant on one artist; adds to (never lowers) what the organization gives. */
export const artistMembers = pgTable(
  "artist_members",
  {
    artistId: text("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.userId] }), index("artist_members_user_idx").on(t.userId)],
);

/**
 * An invitation to an organization or to one artist (exactly one of the two is set).
 * Only the SHA-256 of the token is stored; the token travels in the e-mailed link.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    artistId: text("artist_id").references(() => artists.id, { onDelete: "cascade" }),
    /** Lower-cased. */
    email: text("email").notNull(),
    role: text("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedByUserId: text("invited_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** `pending` | `accepted` | `revoked` (expiry is computed from `expires_at`). */
    status: text("status").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedByUserId: text("accepted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_uq").on(t.tokenHash),
    index("invitations_org_idx").on(t.organizationId),
    index("invitations_artist_idx").on(t.artistId),
  ],
);

/** An organization's API key. Only the SHA-256 of the secret is stored; `prefix` is for display. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_uq").on(t.secretHash), index("api_keys_org_idx").on(t.organizationId)],
);

/**
 * Who did what to which resource, written in the same transaction as the write.
 * `metadata` never holds secrets (no tokens, no key secrets).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** The tenant the entry belongs to (for admins' views); one or both set. */
    organizationId: text("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    artistId: text("artist_id").references(() => artists.id, { onDelete: "cascade" }),
    /** `user` | `api_key` | `system`. */
    actorKind: text("actor_kind").notNull(),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorApiKeyId: text("actor_api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    /**
     * Set when the acting user deleted their account (P18): `deleted-user-<10 hex>`, the same
     * for every entry of that user, so admins can still tell one (gone) person's actions
     * apart without knowing who it was. `actor_user_id` and `session_id` are null then.
     */
    actorPseudonym: text("actor_pseudonym"),
    sessionId: text("session_id"),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id").notNull(),
    summary: text("summary").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_org_idx").on(t.organizationId, t.at), index("audit_log_artist_idx").on(t.artistId, t.at)],
);

/**
 * `Idempotency-Key` of an API create: the first response, replayed for the same key and
 * body within 24 hours. `scope` is the actor (`user:<id>` / `api_key:<id>`).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body. */
    requestHash: text("request_hash").notNull(),
    /** Null while the first request is in flight. */
    responseStatus: text("response_status"),
    responseBody: text("response_body"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);

/**
 * Counters of the `/api/v1` rate limiter on PostgreSQL (rate-limiter-flexible's
 * RateLimiterPostgres layout: key, points, expire in epoch ms). PGlite runs one node and
 * counts in memory instead.
 */
export const apiRateLimits = pgTable("api_rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/**
 * A Platform user's restriction / objection choices (P18), append-only: each change is a new
 * row; the newest row is in force. `restrict` = restrict processing (GDPR Art. 18), `object`
 * = object to processing (Art. 21) — either one keeps the user's own activity out of
 * analytics, ad-platform uploads and AI (`isUserProcessingRestricted`). Rows go with the user.
 */
export const userProcessingChoices = pgTable(
  "user_processing_choices",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    restrict: boolean("restrict").notNull(),
    object: boolean("object").notNull(),
    /** The session that made the choice (which device), null when made by the system. */
    sessionId: text("session_id"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("user_processing_choices_user_idx").on(t.userId, t.recordedAt)],
);
