/**
 * The Spotify scopes Backbeat asks a fan for (PROMISES P07, P09), pinned. Adding one
 * fails the P07 test until PROMISES.md, docs/spotify-scopes.md and the policy page change.
 * Scope reference: https://developer.spotify.com/documentation/web-api/concepts/scopes
 */
export const SPOTIFY_FAN_SCOPES = [
  "user-library-modify", // save the release the fan tapped on
  "user-follow-modify", // follow the release's artist(s)
  "user-modify-playback-state", // start playback (best effort)
  "user-read-playback-state", // find an active device for playback
  "user-read-private", // country and Premium status (playback needs Premium)
  "user-library-read", // check the save is still there (save retention)
  "user-follow-read", // check the follow is still there
  "user-read-recently-played", // attribute streams of the engaged release
] as const;

/** Scopes without which the save flow cannot do what the fan asked. */
export const REQUIRED_FAN_SCOPES = ["user-library-modify", "user-follow-modify"] as const;

/** Plain-words reason for each scope, shown on the policy page (P21) and in docs. */
export const SPOTIFY_FAN_SCOPE_REASONS: Record<(typeof SPOTIFY_FAN_SCOPES)[number], string> = {
  "user-library-modify": "save the release you tapped on to your library",
  "user-follow-modify": "follow the release's artist(s)",
  "user-modify-playback-state": "start playing the release (best effort)",
  "user-read-playback-state": "find your active device for playback",
  "user-read-private": "your country and whether you have Premium (playback needs it)",
  "user-library-read": "check the release is still saved (to measure results honestly)",
  "user-follow-read": "check you still follow the artist",
  "user-read-recently-played": "count your plays of the releases you saved through Backbeat",
};
