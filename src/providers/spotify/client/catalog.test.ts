import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../lib/provider-error";
import { API_URL, createHarness, fakeId, type Harness } from "./test-support";
import { catchProviderError as caught } from "../../../../test/harness/catch-provider-error";


let tokenSerial = 0;
function withAppToken(h: Harness, expiresIn = 3600): void {
  h.app.post("/api/token", (c) => c.json({ access_token: `APP-${++tokenSerial}`, token_type: "Bearer", expires_in: expiresIn }));
}

const TRACK = fakeId("track");
const ALBUM = fakeId("album");
const ARTIST = fakeId("artist");

function trackBody(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Song ${id.slice(0, 4)}`,
    duration_ms: 201_000,
    album: { id: ALBUM },
    artists: [{ id: ARTIST, name: "The Band", uri: `spotify:artist:${ARTIST}` }],
    external_ids: { isrc: "USRC17607839" },
    popularity: 50,
    ...extra,
  };
}

describe("catalog app token", () => {
  it("fetches one client-credentials token for concurrent calls and caches it", async () => {
    const h = createHarness();
    withAppToken(h);
    h.app.get("/v1/tracks/:id", (c) => c.json(trackBody(c.req.param("id"))));
    await Promise.all([h.service.catalog.getTrack(TRACK), h.service.catalog.getTrack(TRACK), h.service.catalog.getTrack(TRACK)]);
    await h.service.catalog.getTrack(TRACK);
    const tokenCalls = h.callsTo("/api/token");
    expect(tokenCalls).toHaveLength(1);
    expect(new URLSearchParams(tokenCalls[0]!.body).get("grant_type")).toBe("client_credentials");
    expect(h.callsTo("/v1/tracks").every((c) => c.authorization === h.callsTo("/v1/tracks")[0]!.authorization)).toBe(true);
  });

  it("renews the token when it expires within 60 s", async () => {
    const h = createHarness();
    withAppToken(h, 3600);
    h.app.get("/v1/tracks/:id", (c) => c.json(trackBody(c.req.param("id"))));
    await h.service.catalog.getTrack(TRACK);
    h.clock.advance(3600_000 - 61_000);
    await h.service.catalog.getTrack(TRACK);
    expect(h.callsTo("/api/token")).toHaveLength(1);
    h.clock.advance(2_000);
    await h.service.catalog.getTrack(TRACK);
    expect(h.callsTo("/api/token")).toHaveLength(2);
  });

  it("on a 401 drops the cached token and retries once", async () => {
    const h = createHarness();
    withAppToken(h);
    let n = 0;
    h.app.get("/v1/tracks/:id", (c) =>
      ++n === 1 ? c.json({ error: { status: 401, message: "The access token expired" } }, 401) : c.json(trackBody(c.req.param("id"))),
    );
    await h.service.catalog.getTrack(TRACK);
    expect(h.callsTo("/api/token")).toHaveLength(2);
    expect(h.callsTo("/v1/tracks")).toHaveLength(2);
  });
});

describe("catalog.getTrack", () => {
  it("maps the track and linked_from", async () => {
    const h = createHarness();
    withAppToken(h);
    const playable = fakeId("relinked");
    h.app.get("/v1/tracks/:id", (c) => c.json(trackBody(playable, { linked_from: { id: c.req.param("id"), type: "track" } })));
    const t = await h.service.catalog.getTrack(TRACK, "SE");
    expect(t).toEqual({
      id: playable,
      name: `Song ${playable.slice(0, 4)}`,
      albumId: ALBUM,
      artists: [{ id: ARTIST, name: "The Band" }],
      isrc: "USRC17607839",
      durationMs: 201_000,
      linkedFromId: TRACK,
    });
    expect(h.callsTo("/v1/tracks")[0]!.query.get("market")).toBe("SE");
  });

  it("rejects a malformed id or market before any call", async () => {
    const h = createHarness();
    withAppToken(h);
    expect((await caught(h.service.catalog.getTrack("not-an-id"))).kind).toBe("bad_request");
    expect((await caught(h.service.catalog.getTrack(TRACK, "sweden"))).kind).toBe("bad_request");
    expect((await caught(h.service.catalog.getArtist("x".repeat(23)))).kind).toBe("bad_request");
    expect(h.calls).toHaveLength(0);
  });

  it("maps 404 to not_found", async () => {
    const h = createHarness();
    withAppToken(h);
    h.app.get("/v1/tracks/:id", (c) => c.json({ error: { status: 404, message: "Resource not found" } }, 404));
    expect((await caught(h.service.catalog.getTrack(TRACK))).kind).toBe("not_found");
  });
});

describe("catalog.getAlbum", () => {
  const trackIds = Array.from({ length: 120 }, (_, i) => fakeId(`t${i}`));
  const page = (offset: number) => ({
    items: trackIds.slice(offset, offset + 50).map((id) => ({ id, name: "x" })),
    next: offset + 50 < trackIds.length ? `${API_URL}/albums/${ALBUM}/tracks?offset=${offset + 50}&limit=50` : null,
    total: trackIds.length,
  });

  function albumRoutes(h: Harness) {
    withAppToken(h);
    h.app.get("/v1/albums/:id", (c) =>
      c.json({
        id: c.req.param("id"),
        name: "Big Album",
        album_type: "album",
        release_date: "2026-11-27",
        release_date_precision: "day",
        artists: [{ id: ARTIST, name: "The Band" }],
        images: [{ url: "https://i.scdn.co/image/a", width: 640, height: 640 }],
        external_ids: { upc: "00602445790890" },
        label: "Indie",
        total_tracks: trackIds.length,
        tracks: page(0),
      }),
    );
    h.app.get("/v1/albums/:id/tracks", (c) => c.json(page(Number(c.req.query("offset")))));
    h.app.get("/v1/tracks/:id", (c) => c.json(trackBody(c.req.param("id"), { external_ids: { isrc: "GBAYE0000001" } })));
  }

  it("follows tracks.next for all ids, reads the UPC, and looks up the first ISRC once", async () => {
    const h = createHarness();
    albumRoutes(h);
    const album = await h.service.catalog.getAlbum(ALBUM);
    expect(album.trackIds).toEqual(trackIds);
    expect(album.upc).toBe("00602445790890");
    expect(album.label).toBe("Indie");
    expect(album.firstTrackIsrc).toBe("GBAYE0000001");
    expect(album.images).toEqual([{ url: "https://i.scdn.co/image/a", width: 640, height: 640 }]);
    expect(h.callsTo("/v1/albums")).toHaveLength(3); // album + 2 track pages
    expect(h.callsTo("/v1/tracks").map((c) => c.path)).toEqual([`/v1/tracks/${trackIds[0]}`]);
  });

  it("skips the track lookup when the album's tracks already carry an ISRC", async () => {
    const h = createHarness();
    withAppToken(h);
    h.app.get("/v1/albums/:id", (c) =>
      c.json({
        id: c.req.param("id"),
        name: "Single",
        album_type: "SINGLE",
        release_date: "2026",
        release_date_precision: "year",
        artists: [],
        images: [],
        total_tracks: 1,
        tracks: { items: [{ id: TRACK, external_ids: { isrc: "USRC1" } }], next: null },
      }),
    );
    const album = await h.service.catalog.getAlbum(ALBUM);
    expect(album).toMatchObject({ albumType: "single", upc: null, label: null, firstTrackIsrc: "USRC1", trackIds: [TRACK] });
    expect(h.callsTo("/v1/tracks")).toHaveLength(0);
  });

  it("refuses to follow a next link outside the API base", async () => {
    const h = createHarness();
    withAppToken(h);
    h.app.get("/v1/albums/:id", (c) =>
      c.json({
        id: ALBUM,
        name: "A",
        album_type: "album",
        release_date: "2026",
        release_date_precision: "year",
        artists: [],
        images: [],
        total_tracks: 60,
        tracks: { items: [{ id: TRACK }], next: "https://evil.test/steal?offset=50" },
      }),
    );
    expect((await caught(h.service.catalog.getAlbum(ALBUM))).kind).toBe("invalid_response");
  });
});

describe("catalog.getArtist and listArtistReleases", () => {
  it("maps the artist (genres default to [])", async () => {
    const h = createHarness();
    withAppToken(h);
    h.app.get("/v1/artists/:id", (c) => c.json({ id: c.req.param("id"), name: "The Band", images: [{ url: "u", width: null, height: null }] }));
    expect(await h.service.catalog.getArtist(ARTIST)).toEqual({ id: ARTIST, name: "The Band", genres: [], images: [{ url: "u", width: null, height: null }] });
  });

  it.each(["extended", "development"] as const)("pages albums and singles with limit=10, valid in every quota mode (%s)", async (quotaMode) => {
    const h = createHarness({ quotaMode });
    withAppToken(h);
    const ids = Array.from({ length: 3 }, (_, i) => fakeId(`rel${i}`));
    h.app.get("/v1/artists/:id/albums", (c) => {
      const offset = Number(c.req.query("offset") ?? 0);
      const items = ids.slice(offset, offset + 2).map((id, i) => ({ id, name: `R${offset + i}`, album_type: i === 0 ? "album" : "single", release_date: "2025-01-01" }));
      const next = offset + 2 < ids.length ? `${API_URL}/artists/${ARTIST}/albums?include_groups=album,single&offset=${offset + 2}&limit=2` : null;
      return c.json({ items, next, total: ids.length });
    });
    const releases = await h.service.catalog.listArtistReleases(ARTIST);
    expect(releases.map((r) => r.id)).toEqual(ids);
    expect(releases[0]).toEqual({ id: ids[0], name: "R0", albumType: "album", releaseDate: "2025-01-01" });
    const first = h.callsTo("/v1/artists")[0]!;
    expect(first.query.get("include_groups")).toBe("album,single");
    // Development-mode apps get a 400 above 10 (reference: default 5, maximum 10).
    expect(first.query.get("limit")).toBe("10");
    expect(h.callsTo("/v1/artists")).toHaveLength(2);
  });
});
