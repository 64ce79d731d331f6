import { z } from "zod";

/**
 * Zod schemas for the fields Backbeat reads from Spotify. Objects are not strict: Spotify
 * adds fields, and since the February 2026 development-mode changes some responses lack
 * fields (label, external ids, genres, country, product), so those are optional here.
 * https://developer.spotify.com/documentation/web-api/reference
 * https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide
 */

// ---- Accounts service -----------------------------------------------------------------

/** POST /api/token answer (authorization_code, refresh_token and client_credentials grants). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  /** Seconds. */
  expires_in: z.number().int().positive(),
  scope: z.string().nullish(),
  refresh_token: z.string().min(1).nullish(),
});

/** OAuth error body from the Accounts service, e.g. `{ "error": "invalid_grant", "error_description": "Invalid refresh token" }`. */
export const accountsErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

// ---- Web API errors --------------------------------------------------------------------

/** Web API error object; `reason` only on player errors (NO_ACTIVE_DEVICE, PREMIUM_REQUIRED…). */
export const apiErrorSchema = z.object({
  error: z.object({
    status: z.number().int().optional(),
    message: z.string().optional(),
    reason: z.string().optional(),
  }),
});

// ---- Catalog ---------------------------------------------------------------------------

const nullableArray = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const imageSchema = z.object({
  url: z.string(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});

export const artistRefSchema = z.object({ id: z.string(), name: z.string() });

const albumTypeSchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(["album", "single", "compilation"]));

/** Track object: https://developer.spotify.com/documentation/web-api/reference/get-track */
export const trackSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Milliseconds. */
  duration_ms: z.number().int().nonnegative(),
  album: z.object({ id: z.string() }),
  artists: z.array(artistRefSchema),
  external_ids: z.object({ isrc: z.string().nullish() }).nullish(),
  /** Present when track relinking answered with another track than the one asked for. */
  linked_from: z.object({ id: z.string() }).nullish(),
});

/** Simplified track inside an album's `tracks` page. */
export const simplifiedTrackSchema = z.object({
  id: z.string(),
  /** Everyone credited on the track (features included). */
  artists: z.array(artistRefSchema).optional(),
  external_ids: z.object({ isrc: z.string().nullish() }).nullish(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Absolute URL of the next page, or null. */
    next: z.string().nullish(),
    total: z.number().int().nonnegative().optional(),
  });

/** Album object: https://developer.spotify.com/documentation/web-api/reference/get-an-album */
export const albumSchema = z.object({
  id: z.string(),
  name: z.string(),
  album_type: albumTypeSchema,
  release_date: z.string(),
  release_date_precision: z.enum(["year", "month", "day"]),
  artists: z.array(artistRefSchema),
  images: nullableArray(imageSchema),
  external_ids: z.object({ upc: z.string().nullish() }).nullish(),
  label: z.string().nullish(),
  total_tracks: z.number().int().nonnegative(),
  tracks: pageOf(simplifiedTrackSchema),
});

export const albumTracksPageSchema = pageOf(simplifiedTrackSchema);

/** Artist object: https://developer.spotify.com/documentation/web-api/reference/get-an-artist */
export const artistSchema = z.object({
  id: z.string(),
  name: z.string(),
  genres: nullableArray(z.string()),
  images: nullableArray(imageSchema),
});

/** https://developer.spotify.com/documentation/web-api/reference/get-an-artists-albums */
export const artistAlbumsPageSchema = pageOf(
  z.object({
    id: z.string(),
    name: z.string(),
    album_type: albumTypeSchema,
    release_date: z.string(),
  }),
);

// ---- Fan (user-authorized) -------------------------------------------------------------

/** https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile */
export const meSchema = z.object({
  id: z.string(),
  display_name: z.string().nullish(),
  country: z.string().nullish(),
  product: z.string().nullish(),
});

/** https://developer.spotify.com/documentation/web-api/reference/get-a-users-available-devices */
export const devicesSchema = z.object({
  devices: z.array(
    z.object({
      id: z.string().nullish(),
      name: z.string(),
      type: z.string(),
      is_active: z.boolean(),
    }),
  ),
});

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "not an ISO 8601 instant" });

/** https://developer.spotify.com/documentation/web-api/reference/get-recently-played */
export const recentlyPlayedSchema = z.object({
  items: z.array(
    z.object({
      /**
       * Local files have `id: null` and `is_local: true`. `linked_from` is set when track
       * relinking served another id than the one the fan's client asked for.
       */
      track: z
        .object({
          id: z.string().nullish(),
          is_local: z.boolean().optional(),
          linked_from: z.object({ id: z.string().nullish() }).nullish(),
        })
        .nullish(),
      /** When the play ended (ISO 8601). */
      played_at: isoInstant,
      context: z.object({ uri: z.string() }).nullish(),
    }),
  ),
  next: z.string().nullish(),
  /** Unix ms as strings. */
  cursors: z.object({ after: z.string().nullish(), before: z.string().nullish() }).nullish(),
});

/** https://developer.spotify.com/documentation/web-api/reference/get-users-saved-tracks */
export const savedTracksSchema = z.object({
  items: z.array(z.object({ track: z.object({ id: z.string().nullish() }).nullish() })),
  total: z.number().int().nonnegative(),
  next: z.string().nullish(),
});

/** https://developer.spotify.com/documentation/web-api/reference/get-followed */
export const followedArtistsSchema = z.object({
  artists: z.object({
    items: z.array(z.object({ id: z.string() })),
    next: z.string().nullish(),
    cursors: z.object({ after: z.string().nullish() }).nullish(),
  }),
});

/** `GET /me/library/contains` and the legacy `…/contains` endpoints: booleans in request order. */
export const containsSchema = z.array(z.boolean());

/** Bodies we ignore (204, empty 200, or a snapshot object). */
export const ignoredBodySchema = z.unknown();
