/**
 * What Backbeat needs from a music service, named by our need (PRODUCT.md §4). The
 * Spotify client implements it against api.spotify.com or the emulator; nothing else
 * in the app knows Spotify's wire format.
 *
 * Errors: every method raises `ProviderError` (src/lib/provider-error.ts) only.
 */

export interface CatalogImage {
  url: string;
  width: number | null;
  height: number | null;
}

export interface CatalogArtistRef {
  id: string;
  name: string;
}

export interface CatalogTrack {
  id: string;
  name: string;
  albumId: string;
  artists: CatalogArtistRef[];
  isrc: string | null;
  durationMs: number;
  /** Relinked track: the id that was asked for when Spotify answered with another. */
  linkedFromId: string | null;
}

export interface CatalogAlbum {
  id: string;
  name: string;
  albumType: "album" | "single" | "compilation";
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as Spotify gives it. */
  releaseDate: string;
  releaseDatePrecision: "year" | "month" | "day";
  artists: CatalogArtistRef[];
  images: CatalogImage[];
  upc: string | null;
  label: string | null;
  totalTracks: number;
  /** Track ids in order (all pages). */
  trackIds: string[];
  /** ISRC of the first track when known. */
  firstTrackIsrc: string | null;
  /** Artists credited on any track (features included), each once, in order of appearance. */
  trackArtists: CatalogArtistRef[];
}

export interface CatalogArtist {
  id: string;
  name: string;
  genres: string[];
  images: CatalogImage[];
}

export interface TokenSet {
  accessToken: string;
  /** Spotify may omit a new refresh token on refresh: callers keep the old one then. */
  refreshToken: string;
  /** Absolute expiry of the access token (UTC). */
  accessTokenExpiresAt: Date;
  /** Space-separated granted scopes. */
  scope: string;
}

export interface RefreshResult {
  accessToken: string;
  /** Present only when Spotify rotated the refresh token. */
  refreshToken: string | undefined;
  accessTokenExpiresAt: Date;
  scope: string;
}

export interface FanProfile {
  id: string;
  displayName: string | null;
  country: string | null;
  /** `premium` | `free` | `open` | null (needs user-read-private). */
  product: string | null;
}

export interface PlaybackDevice {
  id: string | null;
  name: string;
  type: string;
  isActive: boolean;
}

export interface PlayHistoryItem {
  /** Null for local files and items without a Spotify id. */
  trackId: string | null;
  /** Relinked track: the id the fan's client asked for (Spotify's `linked_from.id`). */
  linkedFromId: string | null;
  /** When the play ended (Spotify's `played_at`). */
  playedAt: Date;
  contextUri: string | null;
  isLocal: boolean;
}

/**
 * Persistence hooks for one fan's tokens, so the client can refresh and store rotated
 * tokens before using them. `save` must be durable before the new access token is used.
 */
export interface FanTokenStore {
  /** Stable key for single-flight refresh (e.g. the Play user id). */
  key: string;
  load(): Promise<TokenSet>;
  save(tokens: TokenSet): Promise<void>;
  /**
   * Runs `fn` holding a lock on this fan's tokens shared by every node (e.g. a row lock),
   * with a load/save bound to that lock. When present, the client refreshes only inside it,
   * so one refresh at a time happens across nodes. Absent → single-flight per process only.
   */
  exclusive?<T>(fn: (locked: Pick<FanTokenStore, "load" | "save">) => Promise<T>): Promise<T>;
}

export interface ForFanOptions {
  /**
   * Background work (sync jobs): no sleeping in the worker. A 429 is raised at once as
   * `rate_limited` with `retryAfterMs` (the job reschedules itself), 5xx/timeouts are not
   * retried in-process (`unavailable`; the job runs again later).
   */
  background?: boolean;
}

export interface MusicAccounts {
  /** Authorization URL for the Authorization Code flow with PKCE (S256). */
  authorizeUrl(input: { state: string; codeChallenge: string; scopes: readonly string[]; showDialog?: boolean }): string;
  exchangeCode(input: { code: string; codeVerifier: string }): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<RefreshResult>;
}

export interface MusicCatalog {
  getTrack(id: string, market?: string): Promise<CatalogTrack>;
  getAlbum(id: string, market?: string): Promise<CatalogAlbum>;
  getArtist(id: string): Promise<CatalogArtist>;
  /** The artist's albums and singles (all pages, `include_groups=album,single`). */
  listArtistReleases(id: string): Promise<Array<Pick<CatalogAlbum, "id" | "name" | "albumType" | "releaseDate">>>;
}

/** Calls made on behalf of one fan; refreshes the access token when needed. */
export interface FanMusicApi {
  me(): Promise<FanProfile>;
  /** Saves tracks/albums and follows artists by URI (`spotify:album:…`, `spotify:artist:…`). */
  saveToLibrary(uris: readonly string[]): Promise<void>;
  /** Same order as `uris`. */
  libraryContains(uris: readonly string[]): Promise<boolean[]>;
  startPlayback(input: { contextUri?: string; uris?: string[]; deviceId?: string }): Promise<void>;
  devices(): Promise<PlaybackDevice[]>;
  /** Up to 50 plays after `afterMs` (Unix ms), oldest-first not guaranteed. */
  recentlyPlayed(input: { afterMs?: number; limit?: number }): Promise<{ items: PlayHistoryItem[]; nextAfterMs: number | null }>;
  savedTrackIds(input: { limit?: number; offset?: number }): Promise<{ ids: string[]; total: number }>;
  followedArtistIds(input: { after?: string; limit?: number }): Promise<{ ids: string[]; nextAfter: string | null }>;
}

export interface MusicService {
  accounts: MusicAccounts;
  catalog: MusicCatalog;
  forFan(store: FanTokenStore, options?: ForFanOptions): FanMusicApi;
}
