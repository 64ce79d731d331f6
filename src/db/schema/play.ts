
import { organizations } from "./accounts";
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** One artist: owns a slug (the first URL segment) and an artist hub. */
export const artists = pgTable(
  "artists",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    spotifyArtistId: text("spotify_artist_id"),
    /** The organization the artist belongs to; null = owned directly through artist grants. */
    organizationId: text("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    imageUrl: text("image_url"),
    genres: jsonb("genres").$type<string[]>().notNull().default([]),
    hubTheme: text("hub_theme").notNull().default("classic"),
    hubDescription: text("hub_description"),
    hubPublished: boolean("hub_published").notNull().default(true),
    catalogImportedAt: timestamp("catalog_imported_at", { withTimezone: true }),
    /**
     * Days after a fan's AUTH / SAVE / FOLLOW / PRESAVE through one of this artist's smart
     * links during which that fan's streams are attributed to it (and the fan is synced).
     */
    attributionWindowDays: integer("attribution_window_days").notNull().default(28),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("artists_slug_uq").on(t.slug),
    uniqueIndex("artists_spotify_artist_id_uq").on(t.spotifyArtistId),
    index("artists_organization_idx").on(t.organizationId),
  ],
);

export interface ReleaseArtist {
  spotifyId: string;
  name: string;
}

export interface ServiceLink {
  /** Streaming service key, e.g. `spotify`, `apple_music`. */
  service: string;
  url: string;
  hidden: boolean;
}

export interface PixelIds {
  meta?: string;
  google?: string;
  tiktok?: string;
  reddit?: string;
}

/** A smart link: one release (album or single) under an artist. */
export const smartLinks = pgTable(
  "smart_links",
  {
    id: text("id").primaryKey(),
    artistId: text("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    /** Spotify album id of the release (a track's link is its release's link). */
    spotifyAlbumId: text("spotify_album_id").notNull(),
    /** `album` | `single` | `compilation`. */
    releaseType: text("release_type").notNull(),
    title: text("title").notNull(),
    releaseArtists: jsonb("release_artists").$type<ReleaseArtist[]>().notNull(),
    artworkUrl: text("artwork_url"),
    /** Release date as Spotify gives it, expanded to a full date (precision kept beside it). */
    releaseDate: date("release_date", { mode: "string" }),
    releaseDatePrecision: text("release_date_precision"),
    upc: text("upc"),
    /** ISRC of the first track, when the release is a single or the link came from a track. */
    isrc: text("isrc"),
    /** Track ids on the release (for attribution and playback). */
    trackIds: jsonb("track_ids").$type<string[]>().notNull().default([]),
    services: jsonb("services").$type<ServiceLink[]>().notNull().default([]),
    theme: text("theme").notNull().default("classic"),
    pixels: jsonb("pixels").$type<PixelIds>().notNull().default({}),
    description: text("description"),
    published: boolean("published").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("smart_links_artist_slug_uq").on(t.artistId, t.slug),
    uniqueIndex("smart_links_artist_album_uq").on(t.artistId, t.spotifyAlbumId),
  ],
);

/**
 * A fan who authorized Backbeat on Spotify. Tokens are sealed (P01) with associated
 * data `play_users.<column>:<id>`.
 */
export const playUsers = pgTable(
  "play_users",
  {
    id: text("id").primaryKey(),
    spotifyUserId: text("spotify_user_id").notNull(),
    displayName: text("display_name"),
    country: text("country"),
    product: text("product"),
    accessTokenSealed: text("access_token_sealed").notNull(),
    refreshTokenSealed: text("refresh_token_sealed").notNull(),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }).notNull(),
    /** Spotify refresh tokens expire six months after consent. */
    consentedAt: timestamp("consented_at", { withTimezone: true }).notNull(),
    scopes: text("scopes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("play_users_spotify_user_id_uq").on(t.spotifyUserId)],
);

/**
 * Pending OAuth authorizations (P03). Only the SHA-256 of the state is stored; the
 * PKCE verifier is sealed. A row is single-use (`used_at`) and expires.
 */
export const oauthStates = pgTable(
  "oauth_states",
  {
    id: text("id").primaryKey(),
    stateHash: text("state_hash").notNull(),
    provider: text("provider").notNull(),
    /** SHA-256 of the browser-binding nonce held in the starting browser's cookie. */
    browserHash: text("browser_hash").notNull(),
    codeVerifierSealed: text("code_verifier_sealed").notNull(),
    /** What to do after authorization: `{ action, smartLinkId, context }`. */
    intent: jsonb("intent").$type<Record<string, unknown>>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("oauth_states_state_hash_uq").on(t.stateHash), index("oauth_states_expires_idx").on(t.expiresAt)],
);

/** A fan's pre-save of an unreleased release, with its delivery ledger. */
export const presaves = pgTable(
  "presaves",
  {
    id: text("id").primaryKey(),
    smartLinkId: text("smart_link_id")
      .notNull()
      .references(() => smartLinks.id, { onDelete: "cascade" }),
    playUserId: text("play_user_id")
      .notNull()
      .references(() => playUsers.id, { onDelete: "cascade" }),
    /** `pending` | `delivered` | `not_live_yet` | `token_expired` | `revoked` | `provider_error`. */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("presaves_link_user_uq").on(t.smartLinkId, t.playUserId), index("presaves_status_idx").on(t.status)],
);

