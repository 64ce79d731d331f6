import type { Clock } from "../../../lib/clock";
import { buildSeedCatalog, type SeedArtist, type SeedRelease, type SeedTrack } from "./catalog";

/** Options of `createSpotifyEmulator`, kept on the state so every part reads one copy. */
export interface SpotifyEmulatorOptions {
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs (exact match; loopback literals without a port match any port). */
  redirectUris: string[];
  quotaMode: "extended" | "development";
  /** Mount path, e.g. `/_emulator/spotify`: used for links and form actions in HTML. */
  basePath: string;
  /** Origin for absolute URLs in API objects (`href`, `next`), e.g. `http://127.0.0.1:3000`. */
  publicUrl: string;
}

export interface EmulatedDevice {
  id: string;
  name: string;
  type: string;
  isActive: boolean;
  /** 0–100. */
  volumePercent: number;
}

export interface PlaybackState {
  deviceId: string;
  contextUri: string | null;
  trackUris: string[];
  startedAt: Date;
}

/** One ended play. `trackId` null means a local file. */
export interface PlayRecord {
  trackId: string | null;
  /** End of the play (Spotify's `played_at`). */
  playedAt: Date;
  contextUri: string | null;
  /** For local files: what the file's tags say. */
  localName: string | null;
  /**
   * Track relinking: the id the fan's client asked for when Spotify played `trackId`
   * instead (answered as `track.linked_from`).
   */
  linkedFromId: string | null;
}

/** One request the emulator answered (Web API and Accounts; control and images excluded). */
export interface RequestRecord {
  method: string;
  /** Relative to the mount point, e.g. `/v1/me/player/recently-played`. */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
}

/** Requests remembered for inspection (oldest dropped first). */
export const REQUEST_LOG_LIMIT = 10_000;

export interface EmulatedFan {
  id: string;
  /** Spotify's stable pseudoanonymous `account_id`. */
  accountId: string;
  displayName: string;
  country: string;
  product: "premium" | "free";
  email: string;
  /** Development mode: on the app's user allow-list in the developer dashboard. */
  registered: boolean;
  devices: EmulatedDevice[];
  playback: PlaybackState | null;
  /** Saved tracks/albums by URI → when saved. Insertion order = save order. */
  library: Map<string, Date>;
  /** Followed artist id → when followed. */
  followed: Map<string, Date>;
  /** At most the last 50 plays, newest last. */
  plays: PlayRecord[];
  createdAt: Date;
}

/** One consent (Agree) by a fan: refresh tokens live at most 6 months from `consentedAt`. */
export interface Grant {
  id: string;
  fanId: string;
  scopes: string[];
  consentedAt: Date;
  revoked: boolean;
  /** The code was issued with a PKCE challenge: a public client may refresh without a secret. */
  pkce: boolean;
}

export interface AuthCode {
  code: string;
  grantId: string;
  redirectUri: string;
  codeChallenge: string | null;
  expiresAt: Date;
  used: boolean;
}

export interface AccessTokenRecord {
  kind: "user" | "app";
  grantId: string | null;
  scopes: string[];
  expiresAt: Date;
}

export interface RefreshTokenRecord {
  grantId: string;
  expiresAt: Date;
  revoked: boolean;
}

/** A queued fault: consumed in order by the first matching request. */
export interface FaultSpec {
  method?: string;
  /** Relative to the mount point, e.g. `/v1/me/library` or `/api/token`. */
  pathPrefix: string;
  status: 429 | 500 | 502 | 503;
  /** Seconds, sent as `Retry-After` (429 default 1). */
  retryAfterSeconds?: number;
  /** Real milliseconds to wait before answering (simulates slowness/timeouts). */
  delayMs?: number;
  /** How many matching requests it affects. */
  times: number;
}

export interface RateLimitSpec {
  /** Requests allowed per window, app-wide, on `/v1`. */
  maxRequests: number;
  /** Sliding window length in seconds. */
  windowSeconds: number;
}

export interface IndexedTrack {
  track: SeedTrack;
  albumId: string;
  /** 1-based within its disc. */
  trackNumber: number;
}

export interface EmulatorState {
  options: SpotifyEmulatorOptions;
  /** The clock's instant when the emulator was created: anchors the demo release. */
  startedAt: Date;
  artists: Map<string, SeedArtist>;
  albums: Map<string, SeedRelease>;
  tracks: Map<string, IndexedTrack>;
  fans: Map<string, EmulatedFan>;
  grants: Map<string, Grant>;
  codes: Map<string, AuthCode>;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  faults: FaultSpec[];
  rateLimit: RateLimitSpec | null;
  /** Epoch ms of recent rate-limited requests (sliding window). */
  recentRequests: number[];
  rotateRefreshTokens: boolean;
  /** Last `REQUEST_LOG_LIMIT` requests, oldest first. */
  requestLog: RequestRecord[];
}

/** Fresh in-memory state with the seed catalog indexed. */
export function createEmulatorState(options: SpotifyEmulatorOptions, startedAt: Date = options.clock.now()): EmulatorState {
  const seed = buildSeedCatalog(startedAt);
  const state: EmulatorState = {
    options,
    startedAt,
    artists: new Map(seed.artists.map((a) => [a.id, a])),
    albums: new Map(),
    tracks: new Map(),
    fans: new Map(),
    grants: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    faults: [],
    rateLimit: null,
    recentRequests: [],
    rotateRefreshTokens: false,
    requestLog: [],
  };
  for (const release of seed.releases) {
    state.albums.set(release.id, release);
    release.tracks.forEach((track, i) => state.tracks.set(track.id, { track, albumId: release.id, trackNumber: i + 1 }));
  }
  return state;
}
