import type { SpotifyConfig } from "../../../config";
import type { FanMusicApi, FanTokenStore, ForFanOptions, MusicService } from "../port";
import { buildAuthorizeUrl } from "./build-authorize-url";
import { checkLibrary } from "./check-library";
import type { SpotifyDeps } from "./context";
import { createAppCaller } from "./create-app-caller";
import { createAppTokenSource } from "./create-app-token-source";
import { createFanCaller } from "./create-fan-caller";
import { createSpotifyContext } from "./create-spotify-context";
import { exchangeCode } from "./exchange-code";
import { getAlbum } from "./get-album";
import { getArtist } from "./get-artist";
import { getMe } from "./get-me";
import { getTrack } from "./get-track";
import { listArtistReleases } from "./list-artist-releases";
import { listDevices } from "./list-devices";
import { listFollowedArtistIds } from "./list-followed-artist-ids";
import { listRecentlyPlayed } from "./list-recently-played";
import { listSavedTrackIds } from "./list-saved-track-ids";
import { refreshAccessToken } from "./refresh-access-token";
import { saveToLibrary } from "./save-to-library";
import { startPlayback } from "./start-playback";

export { createPkcePair, challengeFor, type PkcePair } from "./create-pkce-pair";
export type { SpotifyDeps } from "./context";

/**
 * The real Spotify client (Accounts service + Web API) behind `MusicService`. Talks to
 * `config.accountsUrl` / `config.apiUrl`: api.spotify.com in live mode, the emulator
 * (`/_emulator/spotify`) otherwise — same code path. See README.md for the invariants.
 */
export function createSpotifyService(config: SpotifyConfig, deps: SpotifyDeps): MusicService {
  const ctx = createSpotifyContext(config, deps);
  const app = createAppCaller(ctx, createAppTokenSource(ctx));
  const refresh = (refreshToken: string) => refreshAccessToken(ctx, refreshToken);
  const bgCtx = createSpotifyContext(config, deps, { background: true });
  const bgRefresh = (refreshToken: string) => refreshAccessToken(bgCtx, refreshToken);

  return {
    accounts: {
      authorizeUrl: (input) => buildAuthorizeUrl(config, input),
      exchangeCode: (input) => exchangeCode(ctx, input),
      refresh,
    },
    catalog: {
      getTrack: (id, market) => getTrack(app, id, market),
      getAlbum: (id, market) => getAlbum(app, config.apiUrl, id, market),
      getArtist: (id) => getArtist(app, id),
      listArtistReleases: (id) => listArtistReleases(app, config, id),
    },
    forFan(store: FanTokenStore, options: ForFanOptions = {}): FanMusicApi {
      const call = options.background ? createFanCaller(bgCtx, bgRefresh, store) : createFanCaller(ctx, refresh, store);
      return {
        me: () => getMe(call),
        saveToLibrary: (uris) => saveToLibrary(call, config, uris),
        libraryContains: (uris) => checkLibrary(call, config, uris),
        startPlayback: (input) => startPlayback(call, input),
        devices: () => listDevices(call),
        recentlyPlayed: (input) => listRecentlyPlayed(call, input),
        savedTrackIds: (input) => listSavedTrackIds(call, input),
        followedArtistIds: (input) => listFollowedArtistIds(call, input),
      };
    },
  };
}
