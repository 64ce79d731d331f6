import { describe, expect, it } from "vitest";
import { DEMO_UPCOMING, RELINKED_TRACK } from "./catalog";
import { startEmulatorKit } from "./start-emulator-kit";

type Json = Record<string, unknown>;

describe("Spotify emulator: Web API", () => {
  it("answers the token errors Spotify answers", async () => {
    const kit = startEmulatorKit();
    expect(await (await kit.req("/v1/me")).json()).toEqual({ error: { status: 401, message: "No token provided" } });
    expect(await (await kit.req("/v1/me", { headers: kit.bearer("BQnope") })).json()).toEqual({ error: { status: 401, message: "Invalid access token" } });
    expect((await kit.req("/v1/me", { headers: { authorization: "Token x" } })).status).toBe(400);
    const { accessToken } = await kit.connectFan();
    const unknown = await kit.req("/v1/nope", { headers: kit.bearer(accessToken) });
    expect(unknown.status).toBe(404);
  });

  it("serves catalog objects with paging, invalid ids and unknown ids", async () => {
    const kit = startEmulatorKit();
    const { accessToken } = await kit.connectFan();
    const auth = kit.bearer(accessToken);

    const track = (await (await kit.req("/v1/tracks/11dFghVXANMlKmJXsNCbNl", { headers: auth })).json()) as Json;
    expect(track).toMatchObject({
      id: "11dFghVXANMlKmJXsNCbNl",
      name: "Cut To The Feeling",
      duration_ms: 207_959,
      external_ids: { isrc: "USUM71703861" },
      uri: "spotify:track:11dFghVXANMlKmJXsNCbNl",
      external_urls: { spotify: "https://open.spotify.com/track/11dFghVXANMlKmJXsNCbNl" },
      href: "http://127.0.0.1:3000/_emulator/spotify/v1/tracks/11dFghVXANMlKmJXsNCbNl",
      album: { id: "0tGPJ0bkWOUmH7MEOR77qc", release_date: "2017-05-26", release_date_precision: "day", album_type: "single" },
    });

    const bad = await kit.req("/v1/tracks/not-an-id", { headers: auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { status: 400, message: "invalid id" } });
    const missing = await kit.req("/v1/albums/0000000000000000000000", { headers: auth });
    expect(missing.status).toBe(404);

    const album = (await (await kit.req("/v1/albums/4aawyAB9vmqN3uQ7FjRGTy", { headers: auth })).json()) as Json;
    expect(album).toMatchObject({ name: "Global Warming", total_tracks: 5, external_ids: { upc: expect.any(String) as unknown }, label: expect.any(String) as unknown });
    expect((album.tracks as Json).total).toBe(5);

    const page1 = (await (await kit.req("/v1/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?limit=2&offset=0", { headers: auth })).json()) as Json;
    expect(page1).toMatchObject({ limit: 2, offset: 0, total: 5, previous: null });
    expect(page1.next).toBe("http://127.0.0.1:3000/_emulator/spotify/v1/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?offset=2&limit=2");
    const last = (await (await kit.req("/v1/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?limit=2&offset=4", { headers: auth })).json()) as Json;
    expect(last.next).toBeNull();
    expect((last.items as Json[]).map((t) => t.track_number)).toEqual([5]);
    expect((await kit.req("/v1/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?limit=51", { headers: auth })).status).toBe(400);

    const artist = (await (await kit.req("/v1/artists/0TnOYISbd1XYRBk9myaseg", { headers: auth })).json()) as Json;
    expect(artist).toMatchObject({ name: "Pitbull", type: "artist", followers: { href: null } });
    const releases = (await (await kit.req("/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?include_groups=album,single&limit=10", { headers: auth })).json()) as Json;
    const items = releases.items as Json[];
    expect(items.map((a) => a.album_group)).toEqual(expect.arrayContaining(["album", "single"]));
    expect(items.map((a) => a.id)).toContain("4aawyAB9vmqN3uQ7FjRGTy");
    expect((await kit.req("/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?limit=50", { headers: auth })).status).toBe(200);
    const dev = startEmulatorKit({ quotaMode: "development" });
    const devFan = await dev.connectFan();
    expect((await dev.req("/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?limit=11", { headers: dev.bearer(devFan.accessToken) })).status).toBe(400);
    const devPage = (await (await dev.req("/v1/artists/0TnOYISbd1XYRBk9myaseg/albums", { headers: dev.bearer(devFan.accessToken) })).json()) as Json;
    expect(devPage.limit).toBe(5);
    const appears = (await (await kit.req("/v1/artists/1l7ZsJRRS8wlW3WfJfPfNS/albums?include_groups=appears_on", { headers: auth })).json()) as Json;
    expect((appears.items as Json[]).every((a) => a.album_group === "appears_on")).toBe(true);
  });

  it("relinks a track when a market is given", async () => {
    const kit = startEmulatorKit();
    const { accessToken } = await kit.connectFan();
    const plain = (await (await kit.req(`/v1/tracks/${RELINKED_TRACK.requestedId}`, { headers: kit.bearer(accessToken) })).json()) as Json;
    expect(plain.id).toBe(RELINKED_TRACK.requestedId);
    expect(plain).not.toHaveProperty("linked_from");
    const relinked = (await (await kit.req(`/v1/tracks/${RELINKED_TRACK.requestedId}?market=DE`, { headers: kit.bearer(accessToken) })).json()) as Json;
    expect(relinked.id).toBe(RELINKED_TRACK.servedId);
    expect(relinked.is_playable).toBe(true);
    expect(relinked.linked_from).toMatchObject({ id: RELINKED_TRACK.requestedId, type: "track" });
  });

  it("enforces scopes and the 40-URI limit on /me/library", async () => {
    const kit = startEmulatorKit();
    const { accessToken } = await kit.connectFan({}, ["user-library-modify", "user-library-read"]);
    const auth = kit.bearer(accessToken);
    const follow = await kit.req("/v1/me/library?uris=spotify:artist:0TnOYISbd1XYRBk9myaseg", { method: "PUT", headers: auth });
    expect(follow.status).toBe(403);
    expect(await follow.json()).toEqual({ error: { status: 403, message: "Insufficient client scope" } });

    const forty = Array.from({ length: 40 }, () => "spotify:track:11dFghVXANMlKmJXsNCbNl").join(",");
    expect((await kit.req(`/v1/me/library?uris=${forty}`, { method: "PUT", headers: auth })).status).toBe(200);
    const fortyOne = `${forty},spotify:track:11dFghVXANMlKmJXsNCbNl`;
    const tooMany = await kit.req(`/v1/me/library?uris=${fortyOne}`, { method: "PUT", headers: auth });
    expect(tooMany.status).toBe(400);
    expect((await kit.req("/v1/me/library?uris=spotify:track:bad", { method: "PUT", headers: auth })).status).toBe(400);
    expect((await kit.req("/v1/me/library?uris=spotify:track:0000000000000000000000", { method: "PUT", headers: auth })).status).toBe(404);

    const removed = await kit.req("/v1/me/library?uris=spotify:track:11dFghVXANMlKmJXsNCbNl", { method: "DELETE", headers: auth });
    expect(removed.status).toBe(200);
    expect(await (await kit.req("/v1/me/library/contains?uris=spotify:track:11dFghVXANMlKmJXsNCbNl", { headers: auth })).json()).toEqual([false]);
  });

  it("the demo upcoming release can be looked up but not saved until its UTC release day", async () => {
    const kit = startEmulatorKit();
    const first = await kit.connectFan();
    const album = (await (await kit.req(`/v1/albums/${DEMO_UPCOMING.albumId}`, { headers: kit.bearer(first.accessToken) })).json()) as Json;
    expect(album.release_date).toBe("2026-12-13");
    expect((await kit.req(`/v1/tracks/${DEMO_UPCOMING.trackIds[0]}`, { headers: kit.bearer(first.accessToken) })).status).toBe(200);

    const uris = `spotify:album:${DEMO_UPCOMING.albumId},spotify:track:${DEMO_UPCOMING.trackIds[0]}`;
    const save = (token: string): Promise<Response> => kit.req(`/v1/me/library?uris=${uris}`, { method: "PUT", headers: kit.bearer(token) });
    expect((await save(first.accessToken)).status).toBe(404);
    // Tokens last an hour: connect a fresh fan at each instant.
    kit.clock.set("2026-12-12T23:59:59Z");
    const eve = await kit.connectFan();
    const refused = await save(eve.accessToken);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: { status: 404, message: "Resource not found" } });
    expect(kit.control.getFan(eve.fanId)!.libraryUris).toEqual([]);
    kit.clock.set("2026-12-13T00:00:00Z");
    const day = await kit.connectFan();
    expect((await save(day.accessToken)).status).toBe(200);
    expect(kit.control.getFan(day.fanId)!.libraryUris).toEqual(uris.split(","));
  });

  it("adds releases at runtime", async () => {
    const kit = startEmulatorKit();
    const added = kit.control.addRelease({
      id: "5yRuntimeRelease000001",
      name: "Runtime Single",
      releaseDate: "2026-12-01",
      artists: [{ id: "5yRuntimeArtist0000001", name: "Runtime Artist" }],
      tracks: [{ id: "5yRuntimeTrack00000001", name: "Runtime Song", isrc: "QZRUN2600001" }],
    });
    expect(added).toEqual({ albumId: "5yRuntimeRelease000001", trackIds: ["5yRuntimeTrack00000001"] });
    const { accessToken } = await kit.connectFan();
    const track = (await (await kit.req("/v1/tracks/5yRuntimeTrack00000001", { headers: kit.bearer(accessToken) })).json()) as Json;
    expect(track).toMatchObject({ name: "Runtime Song", album: { id: "5yRuntimeRelease000001", album_type: "single" } });
    const save = await kit.req("/v1/me/library?uris=spotify:track:5yRuntimeTrack00000001", { method: "PUT", headers: kit.bearer(accessToken) });
    expect(save.status).toBe(404); // released 2026-12-01, clock is 2026-11-29
  });

  it("legacy per-type endpoints work in extended mode and are refused in development mode", async () => {
    const ext = startEmulatorKit();
    const e = await ext.connectFan();
    const eAuth = ext.bearer(e.accessToken);
    expect((await ext.req("/v1/me/tracks?ids=11dFghVXANMlKmJXsNCbNl", { method: "PUT", headers: eAuth })).status).toBe(200);
    const bodyIds = { method: "PUT", headers: { ...eAuth, "content-type": "application/json" }, body: JSON.stringify({ ids: ["6OmhkSOpvYBokMKQxpIGx2"] }) };
    expect((await ext.req("/v1/me/tracks", bodyIds)).status).toBe(200);
    expect((await ext.req("/v1/me/albums?ids=4aawyAB9vmqN3uQ7FjRGTy", { method: "PUT", headers: eAuth })).status).toBe(200);
    expect((await ext.req("/v1/me/following?type=artist&ids=0TnOYISbd1XYRBk9myaseg", { method: "PUT", headers: eAuth })).status).toBe(204);
    expect(await (await ext.req("/v1/me/tracks/contains?ids=11dFghVXANMlKmJXsNCbNl,6OmhkSOpvYBokMKQxpIGx2", { headers: eAuth })).json()).toEqual([true, true]);
    expect(await (await ext.req("/v1/me/albums/contains?ids=4aawyAB9vmqN3uQ7FjRGTy", { headers: eAuth })).json()).toEqual([true]);
    expect(await (await ext.req("/v1/me/following/contains?type=artist&ids=0TnOYISbd1XYRBk9myaseg", { headers: eAuth })).json()).toEqual([true]);

    const dev = startEmulatorKit({ quotaMode: "development" });
    const d = await dev.connectFan();
    const dAuth = dev.bearer(d.accessToken);
    for (const [method, path] of [
      ["PUT", "/v1/me/tracks?ids=11dFghVXANMlKmJXsNCbNl"],
      ["DELETE", "/v1/me/albums?ids=4aawyAB9vmqN3uQ7FjRGTy"],
      ["PUT", "/v1/me/following?type=artist&ids=0TnOYISbd1XYRBk9myaseg"],
      ["GET", "/v1/me/tracks/contains?ids=11dFghVXANMlKmJXsNCbNl"],
      ["GET", "/v1/me/albums/contains?ids=4aawyAB9vmqN3uQ7FjRGTy"],
      ["GET", "/v1/me/following/contains?type=artist&ids=0TnOYISbd1XYRBk9myaseg"],
    ] as const) {
      const res = await dev.req(path, { method, headers: dAuth });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await res.json()).toEqual({ error: { status: 403, message: "Forbidden" } });
    }
    // …while /me/library works, and the profile lacks the fields removed in development mode.
    expect((await dev.req("/v1/me/library?uris=spotify:track:11dFghVXANMlKmJXsNCbNl", { method: "PUT", headers: dAuth })).status).toBe(200);
    const me = (await (await dev.req("/v1/me", { headers: dAuth })).json()) as Json;
    expect(me).not.toHaveProperty("product");
    expect(me).not.toHaveProperty("country");
    expect(me).not.toHaveProperty("email");
  });

  it("reads saved tracks newest first and followed artists with cursor paging", async () => {
    const kit = startEmulatorKit();
    const { accessToken } = await kit.connectFan();
    const auth = kit.bearer(accessToken);
    await kit.req("/v1/me/library?uris=spotify:track:11dFghVXANMlKmJXsNCbNl", { method: "PUT", headers: auth });
    kit.clock.advance(1000);
    await kit.req("/v1/me/library?uris=spotify:track:6OmhkSOpvYBokMKQxpIGx2,spotify:artist:0TnOYISbd1XYRBk9myaseg,spotify:artist:4tZwfgrHOc3mvqYlEYSvVi,spotify:artist:6sFIWsNpZYqfjUpaCgueju", { method: "PUT", headers: auth });
    const saved = (await (await kit.req("/v1/me/tracks?limit=1", { headers: auth })).json()) as Json;
    expect(saved.total).toBe(2);
    const first = (saved.items as Json[])[0]!;
    expect((first.track as Json).id).toBe("6OmhkSOpvYBokMKQxpIGx2");
    expect(first.added_at).toBe("2026-11-29T12:00:01Z");

    const p1 = (await (await kit.req("/v1/me/following?type=artist&limit=2", { headers: auth })).json()) as { artists: Json };
    expect(p1.artists.total).toBe(3);
    const ids1 = (p1.artists.items as Json[]).map((a) => a.id as string);
    expect(ids1).toHaveLength(2);
    const after = (p1.artists.cursors as Json).after as string;
    expect(after).toBe(ids1[1]);
    expect(p1.artists.next).toContain(`after=${after}`);
    const p2 = (await (await kit.req(`/v1/me/following?type=artist&limit=2&after=${after}`, { headers: auth })).json()) as { artists: Json };
    expect((p2.artists.items as Json[]).map((a) => a.id)).toHaveLength(1);
    expect(p2.artists.next).toBeNull();
    expect((p2.artists.cursors as Json).after).toBeNull();
  });

  it("player: premium and an active device are required; devices are listed", async () => {
    const kit = startEmulatorKit();
    const free = await kit.connectFan({ product: "free" });
    const res = await kit.req("/v1/me/player/play", { method: "PUT", headers: { ...kit.bearer(free.accessToken), "content-type": "application/json" }, body: JSON.stringify({ context_uri: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" }) });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { status: 403, message: "Player command failed: Premium required", reason: "PREMIUM_REQUIRED" } });

    const idle = await kit.connectFan({ hasActiveDevice: false });
    const play = (token: string, query = "", body: unknown = { uris: ["spotify:track:11dFghVXANMlKmJXsNCbNl"] }): Promise<Response> =>
      kit.req(`/v1/me/player/play${query}`, { method: "PUT", headers: { ...kit.bearer(token), "content-type": "application/json" }, body: JSON.stringify(body) });
    const none = await play(idle.accessToken);
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: { status: 404, message: "Player command failed: No active device found", reason: "NO_ACTIVE_DEVICE" } });
    const devices = (await (await kit.req("/v1/me/player/devices", { headers: kit.bearer(idle.accessToken) })).json()) as { devices: Json[] };
    expect(devices.devices).toHaveLength(1);
    expect(devices.devices[0]!.is_active).toBe(false);
    expect((await play(idle.accessToken, `?device_id=${devices.devices[0]!.id as string}`)).status).toBe(204);
    expect((await play(idle.accessToken, "?device_id=unknown")).status).toBe(404);

    const premium = await kit.connectFan();
    expect((await play(premium.accessToken, "", { context_uri: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" })).status).toBe(204);
    expect(kit.control.getFan(premium.fanId)!.playback).toMatchObject({ contextUri: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" });
    expect((await play(premium.accessToken, "", { context_uri: "spotify:album:nope" })).status).toBe(400);
  });

  it("recently played keeps the last 50 plays, played_at is the end, local files have a null id", async () => {
    const kit = startEmulatorKit();
    const { fanId, accessToken } = await kit.connectFan();
    const auth = kit.bearer(accessToken);
    const base = Date.parse("2026-11-28T00:00:00Z");
    for (let i = 0; i < 55; i++) kit.control.recordPlay(fanId, "11dFghVXANMlKmJXsNCbNl", new Date(base + i * 60_000), { contextUri: "spotify:album:0tGPJ0bkWOUmH7MEOR77qc" });
    kit.control.recordPlay(fanId, null, new Date(base + 55 * 60_000), { localName: "Demo Tape" });
    expect(kit.control.getFan(fanId)!.recentPlays).toHaveLength(50);

    const all = (await (await kit.req("/v1/me/player/recently-played?limit=50", { headers: auth })).json()) as Json;
    const items = all.items as Json[];
    expect(items).toHaveLength(50);
    expect(items[0]!.played_at).toBe(new Date(base + 55 * 60_000).toISOString());
    expect(items[0]!.track).toMatchObject({ id: null, is_local: true, name: "Demo Tape" });
    expect(items[1]!.context).toMatchObject({ type: "album", uri: "spotify:album:0tGPJ0bkWOUmH7MEOR77qc" });
    expect(items.at(-1)!.played_at).toBe(new Date(base + 6 * 60_000).toISOString()); // plays 0–5 dropped

    const newest = (await (await kit.req("/v1/me/player/recently-played?limit=3", { headers: auth })).json()) as Json;
    const cursors = newest.cursors as { after: string; before: string };
    expect(cursors.after).toBe(String(base + 55 * 60_000));
    expect(cursors.before).toBe(String(base + 53 * 60_000));
    expect(newest.next).toContain(`before=${cursors.before}`);

    const after = (await (await kit.req(`/v1/me/player/recently-played?limit=2&after=${base + 50 * 60_000}`, { headers: auth })).json()) as Json;
    expect((after.items as Json[]).map((p) => p.played_at)).toEqual([new Date(base + 52 * 60_000).toISOString(), new Date(base + 51 * 60_000).toISOString()]);
    const none = (await (await kit.req(`/v1/me/player/recently-played?after=${base + 99 * 60_000}`, { headers: auth })).json()) as Json;
    expect(none).toMatchObject({ items: [], next: null, cursors: null });
    expect((await kit.req("/v1/me/player/recently-played?after=1&before=2", { headers: auth })).status).toBe(400);
  });

  it("rate limit: 429 with Retry-After in seconds, sliding with the clock", async () => {
    const kit = startEmulatorKit();
    const { accessToken } = await kit.connectFan();
    const auth = kit.bearer(accessToken);
    kit.control.setRateLimit({ maxRequests: 2, windowSeconds: 30 });
    expect((await kit.req("/v1/me", { headers: auth })).status).toBe(200);
    kit.clock.advance(10_000);
    expect((await kit.req("/v1/me", { headers: auth })).status).toBe(200);
    const limited = await kit.req("/v1/me", { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("20");
    expect(await limited.json()).toEqual({ error: { status: 429, message: "API rate limit exceeded" } });
    kit.clock.advance(20_001);
    expect((await kit.req("/v1/me", { headers: auth })).status).toBe(200);
    kit.control.setRateLimit(null);
  });

  it("faults are consumed in order and match method and path prefix", async () => {
    const kit = startEmulatorKit();
    const { accessToken } = await kit.connectFan();
    const auth = kit.bearer(accessToken);
    const posted = await kit.req("/_control/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pathPrefix: "/v1/me/library", method: "PUT", status: 503, times: 2 }) });
    expect(posted.status).toBe(201);
    kit.control.injectFault({ pathPrefix: "/v1/me/library", status: 429, retryAfterSeconds: 7, times: 1 });
    kit.control.injectFault({ pathPrefix: "/api/token", status: 502, times: 1 });

    const put = (): Promise<Response> => kit.req("/v1/me/library?uris=spotify:track:11dFghVXANMlKmJXsNCbNl", { method: "PUT", headers: auth });
    expect((await kit.req("/v1/me/library/contains?uris=spotify:track:11dFghVXANMlKmJXsNCbNl", { headers: auth })).status).toBe(429); // GET skips the PUT-only fault
    expect((await put()).status).toBe(503);
    const second = await put();
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ error: { status: 503, message: "Service unavailable" } });
    expect((await put()).status).toBe(200);

    const token = await kit.form("/api/token", { grant_type: "client_credentials" }, { authorization: kit.basicAuth() });
    expect(token.status).toBe(502);
    expect(kit.control.pendingFaults()).toEqual([]);

    kit.control.injectFault({ pathPrefix: "/v1", status: 500, times: 5 });
    expect((await kit.req("/_control/faults", { method: "DELETE" })).status).toBe(204);
    expect((await put()).status).toBe(200);
  });

  it("HTTP control endpoints create, inspect and reset", async () => {
    const kit = startEmulatorKit();
    const created = await kit.req("/_control/fans", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ displayName: "Http Fan", product: "free", country: "GB" }) });
    expect(created.status).toBe(201);
    const fan = (await created.json()) as Json;
    expect(fan).toMatchObject({ displayName: "Http Fan", product: "free", country: "GB", registered: true, libraryUris: [] });
    expect(((await (await kit.req("/_control/fans")).json()) as { fans: Json[] }).fans).toHaveLength(1);
    expect((await kit.req("/_control/fans", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(400);
    expect((await kit.req("/_control/rotate-refresh-tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ enabled: true }) })).status).toBe(200);
    expect((await kit.req("/_control/reset", { method: "POST" })).status).toBe(204);
    expect(((await (await kit.req("/_control/fans")).json()) as { fans: Json[] }).fans).toHaveLength(0);
    expect((await kit.req("/_control/fans/nope")).status).toBe(404);
  });
});
