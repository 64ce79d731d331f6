import type { Me, SmartLink } from "../lib/types";

export const NOW = "2026-11-29T10:00:00.000Z";

export function meFixture(role: Me["artists"][number]["role"] = "admin"): Me {
  return {
    user: { id: "usr_ana", name: "Ana", email: "ana@example.com", image: null },
    organizations: [{ id: "org_loud", name: "Loud Label", role }],
    artists: [{ id: "art_pit", name: "Pitbull", slug: "pitbull", imageUrl: null, organizationId: "org_loud", role }],
  };
}

export function linkFixture(n: number, patch: Partial<SmartLink> = {}): SmartLink {
  return {
    id: `sml_${n}`,
    artistId: "art_pit",
    slug: `song-${n}`,
    title: `Song ${n}`,
    releaseType: "single",
    releaseDate: "2013-10-07",
    artworkUrl: null,
    releaseArtists: [{ spotifyId: "0TnOYISbd1XYRBk9myaseg", name: "Pitbull" }],
    services: [
      { service: "spotify", url: "https://open.spotify.com/track/1", hidden: false },
      { service: "apple_music", url: "https://music.apple.com/us/album/1", hidden: false },
    ],
    theme: "classic",
    pixels: {},
    description: null,
    published: false,
    publicUrl: `http://localhost/pitbull/song-${n}`,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

/** The routes every signed-in page needs. */
export function signedInRoutes(me: Me = meFixture()) {
  return {
    "GET /auth/get-session": { body: { session: { id: "ses_1", expiresAt: NOW }, user: me.user } },
    "GET /api/v1/me": { body: me },
    "GET /api/v1/themes": { body: { data: [{ id: "classic", name: "Classic" }, { id: "aurora", name: "Aurora" }] } },
    "GET /api/v1/services": {
      body: {
        data: [
          { id: "spotify", name: "Spotify", hosts: ["open.spotify.com"] },
          { id: "apple_music", name: "Apple Music", hosts: ["music.apple.com"] },
          { id: "deezer", name: "Deezer", hosts: ["deezer.com"] },
        ],
      },
    },
  };
}
