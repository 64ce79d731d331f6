import { randomBytes } from "node:crypto";
import { addRelease, type AddReleaseInput } from "./add-release";
import { createEmulatorState, type EmulatedFan, type EmulatorState, type FaultSpec, type RateLimitSpec, type RequestRecord } from "./create-emulator-state";
import { createFan, type CreateFanInput } from "./create-fan";
import { EmulatorInputError } from "./emulator-input-error";
import { issueAuthorizationCode } from "./issue-authorization-code";
import { RECENTLY_PLAYED_LIMIT } from "./web-api-routes";

/** JSON-friendly view of one emulated fan, for tests and `/_control/fans`. */
export interface FanSnapshot {
  id: string;
  accountId: string;
  displayName: string;
  country: string;
  product: "premium" | "free";
  email: string;
  registered: boolean;
  devices: Array<{ id: string; name: string; type: string; isActive: boolean; volumePercent: number }>;
  /** `startedAt` is ISO 8601. */
  playback: { deviceId: string; contextUri: string | null; trackUris: string[]; startedAt: string } | null;
  /** Saved track/album URIs, oldest first. */
  libraryUris: string[];
  followedArtistIds: string[];
  /** Kept plays (at most 50), oldest first; `playedAt` is ISO 8601, the end of the play. */
  recentPlays: Array<{ trackId: string | null; playedAt: string; contextUri: string | null; localName: string | null; linkedFromId: string | null }>;
  grants: Array<{ id: string; scopes: string[]; consentedAt: string; revoked: boolean }>;
}

export interface UpdateFanInput {
  displayName?: string;
  product?: "premium" | "free";
  registered?: boolean;
  /** Sets whether the fan's first device is the active one (others go inactive). */
  hasActiveDevice?: boolean;
}

/** Typed in-process handle on the emulator, with the same powers as `/_control/…`. */
export interface SpotifyEmulatorControl {
  createFan(input: CreateFanInput): FanSnapshot;
  listFans(): FanSnapshot[];
  getFan(fanId: string): FanSnapshot | undefined;
  updateFan(fanId: string, patch: UpdateFanInput): FanSnapshot;
  /** Consent without the HTML pages: returns a code as if the fan pressed Agree. */
  authorizeFan(input: { fanId: string; scopes: string[]; redirectUri?: string; codeChallenge?: string }): { code: string };
  /** The fan removes the app: every access and refresh token of the fan dies. */
  revokeFan(fanId: string): void;
  /**
   * A play ended at `playedAt`; `trackId` null records a local file; `linkedFromId` records a
   * relinked play (Spotify played `trackId` for a request of `linkedFromId`). The same track
   * again at another `playedAt` is a repeat. Keeps the last 50.
   */
  recordPlay(fanId: string, trackId: string | null, playedAt: Date | string, options?: { contextUri?: string; localName?: string; linkedFromId?: string }): void;
  /** The fan saves (tracks/albums) or follows (artists) these URIs in Spotify's own app. */
  addToLibrary(fanId: string, uris: string[]): void;
  /** The fan un-saves / un-follows these URIs in Spotify's own app. */
  removeFromLibrary(fanId: string, uris: string[]): void;
  /** Requests answered so far (Web API and Accounts), oldest first. */
  requests(): RequestRecord[];
  clearRequests(): void;
  addRelease(input: AddReleaseInput): { albumId: string; trackIds: string[] };
  /** Queues a fault; faults are consumed in order by the first matching request. */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): FaultSpec[];
  /** App-wide sliding-window rate limit on `/v1`; null turns it off (the default). */
  setRateLimit(limit: RateLimitSpec | null): void;
  /** When enabled, refresh answers carry a new refresh token and the old one dies. */
  setRefreshTokenRotation(enabled: boolean): void;
  /** Back to the seed catalog with no fans, tokens, faults or limits. */
  reset(): void;
}

function snapshot(state: EmulatorState, fan: EmulatedFan): FanSnapshot {
  return {
    id: fan.id,
    accountId: fan.accountId,
    displayName: fan.displayName,
    country: fan.country,
    product: fan.product,
    email: fan.email,
    registered: fan.registered,
    devices: fan.devices.map((d) => ({ ...d })),
    playback: fan.playback && { ...fan.playback, trackUris: [...fan.playback.trackUris], startedAt: fan.playback.startedAt.toISOString() },
    libraryUris: [...fan.library.keys()],
    followedArtistIds: [...fan.followed.keys()],
    recentPlays: fan.plays.map((p) => ({ ...p, playedAt: p.playedAt.toISOString() })),
    grants: [...state.grants.values()]
      .filter((g) => g.fanId === fan.id)
      .map((g) => ({ id: g.id, scopes: [...g.scopes], consentedAt: g.consentedAt.toISOString(), revoked: g.revoked })),
  };
}

export function createControl(state: EmulatorState): SpotifyEmulatorControl {
  const fanOrThrow = (fanId: string): EmulatedFan => {
    const fan = state.fans.get(fanId);
    if (!fan) throw new EmulatorInputError(`no fan ${fanId}`, 404);
    return fan;
  };

  return {
    createFan: (input) => snapshot(state, createFan(state, input)),
    listFans: () => [...state.fans.values()].map((f) => snapshot(state, f)),
    getFan: (fanId) => {
      const fan = state.fans.get(fanId);
      return fan && snapshot(state, fan);
    },
    updateFan: (fanId, patch) => {
      const fan = fanOrThrow(fanId);
      if (patch.displayName !== undefined) fan.displayName = patch.displayName;
      if (patch.product !== undefined) fan.product = patch.product;
      if (patch.registered !== undefined) fan.registered = patch.registered;
      if (patch.hasActiveDevice === true && fan.devices.length === 0) {
        fan.devices.push({ id: randomBytes(20).toString("hex"), name: "Web Player (Chrome)", type: "Computer", isActive: true, volumePercent: 70 });
      }
      if (patch.hasActiveDevice !== undefined) fan.devices.forEach((d, i) => (d.isActive = patch.hasActiveDevice === true && i === 0));
      return snapshot(state, fan);
    },
    authorizeFan: ({ fanId, scopes, redirectUri, codeChallenge }) => {
      fanOrThrow(fanId);
      const uri = redirectUri ?? state.options.redirectUris[0];
      if (!uri) throw new EmulatorInputError("no redirect URI registered");
      return { code: issueAuthorizationCode(state, { fanId, scopes, redirectUri: uri, codeChallenge: codeChallenge ?? null }) };
    },
    revokeFan: (fanId) => {
      fanOrThrow(fanId);
      for (const grant of state.grants.values()) if (grant.fanId === fanId) grant.revoked = true;
    },
    recordPlay: (fanId, trackId, playedAt, options = {}) => {
      const fan = fanOrThrow(fanId);
      if (trackId !== null && !state.tracks.has(trackId)) throw new EmulatorInputError(`no track ${trackId}`);
      if (options.linkedFromId !== undefined && (trackId === null || !state.tracks.has(options.linkedFromId))) {
        throw new EmulatorInputError(`linkedFromId needs a track id and a known track, got ${options.linkedFromId}`);
      }
      const at = new Date(playedAt);
      if (Number.isNaN(at.getTime())) throw new EmulatorInputError("playedAt is not a date");
      fan.plays.push({
        trackId,
        playedAt: at,
        contextUri: options.contextUri ?? null,
        localName: trackId === null ? (options.localName ?? "Local file") : null,
        linkedFromId: options.linkedFromId ?? null,
      });
      fan.plays.sort((a, b) => a.playedAt.getTime() - b.playedAt.getTime());
      // Spotify keeps only the most recent 50 plays.
      if (fan.plays.length > RECENTLY_PLAYED_LIMIT) fan.plays.splice(0, fan.plays.length - RECENTLY_PLAYED_LIMIT);
    },
    addToLibrary: (fanId, uris) => {
      const fan = fanOrThrow(fanId);
      const at = state.options.clock.now();
      for (const uri of uris) {
        const m = /^spotify:(track|album|artist):([0-9A-Za-z]{22})$/.exec(uri);
        if (!m) throw new EmulatorInputError(`not a track, album or artist URI: ${uri}`);
        if (m[1] === "artist") fan.followed.set(m[2]!, at);
        else fan.library.set(uri, at);
      }
    },
    removeFromLibrary: (fanId, uris) => {
      const fan = fanOrThrow(fanId);
      for (const uri of uris) {
        const m = /^spotify:(track|album|artist):([0-9A-Za-z]{22})$/.exec(uri);
        if (!m) throw new EmulatorInputError(`not a track, album or artist URI: ${uri}`);
        if (m[1] === "artist") fan.followed.delete(m[2]!);
        else fan.library.delete(uri);
      }
    },
    requests: () => state.requestLog.map((r) => ({ ...r, query: { ...r.query } })),
    clearRequests: () => {
      state.requestLog.length = 0;
    },
    addRelease: (input) => {
      const release = addRelease(state, input);
      return { albumId: release.id, trackIds: release.tracks.map((t) => t.id) };
    },
    injectFault: (fault) => {
      if (fault.times < 1) throw new EmulatorInputError("times must be at least 1");
      state.faults.push({ ...fault });
    },
    clearFaults: () => {
      state.faults.length = 0;
    },
    pendingFaults: () => state.faults.map((f) => ({ ...f })),
    setRateLimit: (limit) => {
      state.rateLimit = limit && { ...limit };
      state.recentRequests = [];
    },
    setRefreshTokenRotation: (enabled) => {
      state.rotateRefreshTokens = enabled;
    },
    reset: () => {
      Object.assign(state, createEmulatorState(state.options, state.startedAt));
    },
  };
}
