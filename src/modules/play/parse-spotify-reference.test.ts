import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { parseSpotifyReference } from "./parse-spotify-reference";

const TRACK = "11dFghVXANMlKmJXsNCbNl";
const ALBUM = "4aawyAB9vmqN3uQ7FjRGTy";
const ARTIST = "0TnOYISbd1XYRBk9myaseg";

describe("parseSpotifyReference", () => {
  it.each([
    [`https://open.spotify.com/track/${TRACK}`, "track", TRACK],
    [`https://open.spotify.com/track/${TRACK}?si=abc123def456`, "track", TRACK],
    [`https://open.spotify.com/intl-de/track/${TRACK}?si=x`, "track", TRACK],
    [`https://open.spotify.com/intl-pt-br/album/${ALBUM}`, "album", ALBUM],
    [`https://open.spotify.com/embed/album/${ALBUM}?utm_source=generator`, "album", ALBUM],
    [`open.spotify.com/artist/${ARTIST}`, "artist", ARTIST],
    [`  spotify:track:${TRACK}  `, "track", TRACK],
    [`spotify:album:${ALBUM}`, "album", ALBUM],
    [`spotify:artist:${ARTIST}`, "artist", ARTIST],
  ])("reads %s", (input, type, id) => {
    expect(parseSpotifyReference(input)).toEqual({ type, id });
  });

  it.each([
    ["https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", /playlists/],
    ["spotify:playlist:37i9dQZF1DXcBWIGoYBM5M", /playlists/],
    ["https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk", /podcasts/],
    ["https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ", /podcasts/],
    ["spotify:local:Artist:Album:Title:180", /local files/],
    ["https://open.spotify.com/track/short", /not a valid Spotify track id/],
    ["https://open.spotify.com/track/11dFghVXANMlKmJXsNCbN!", /not a valid/],
    ["https://artists.spotify.com/c/artist/0TnOYISbd1XYRBk9myaseg/home", /Spotify for Artists/],
    ["https://spotify.link/AbCdEf", /short links/],
    ["https://music.apple.com/us/album/x/123", /open.spotify.com/],
    ["", /empty/],
    ["not a url at all", /not a URL|open.spotify.com/],
    ["https://open.spotify.com/", /does not name/],
  ])("rejects %s with a clear message", (input, message) => {
    try {
      parseSpotifyReference(input);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("BAD_REQUEST");
      expect((err as AppError).field).toBe("spotifyUrl");
      expect((err as AppError).message).toMatch(message);
    }
  });
});
