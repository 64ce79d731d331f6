import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../lib/provider-error";
import type { TokenSet } from "../port";
import { createHarness, fakeId, type Harness, memoryStore, type RecordedCall } from "./test-support";
import { catchProviderError as caught } from "../../../../test/harness/catch-provider-error";


const NOW = Date.parse("2026-11-29T12:00:00Z");

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: "AT-old-0000000001",
    refreshToken: "RT-old-0000000001",
    accessTokenExpiresAt: new Date(NOW + 30 * 60_000),
    scope: "user-library-modify user-library-read",
    ...overrides,
  };
}

/** GET /v1/me that accepts only `Bearer <valid>`; also records which token each call used. */
function meRoute(h: Harness, valid: () => string) {
  h.app.get("/v1/me", (c) => {
    if (c.req.header("authorization") !== `Bearer ${valid()}`) return c.json({ error: { status: 401, message: "The access token expired" } }, 401);
    return c.json({ id: "fan-1", display_name: "Fan", country: "SE", product: "premium" });
  });
}

function refreshRoute(h: Harness, answer: (n: number) => Record<string, unknown>, delayMs = 0) {
  let n = 0;
  h.app.post("/api/token", async (c) => {
    const i = ++n;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return c.json({ token_type: "Bearer", expires_in: 3600, ...answer(i) });
  });
}

describe("forFan token handling", () => {
  it("uses the stored token while it is fresh", async () => {
    const h = createHarness();
    meRoute(h, () => "AT-old-0000000001");
    const store = memoryStore(tokens());
    expect(await h.service.forFan(store).me()).toEqual({ id: "fan-1", displayName: "Fan", country: "SE", product: "premium" });
    expect(h.callsTo("/api/token")).toHaveLength(0);
  });

  it("refreshes when the token expires within 60 s, saves the rotated token before using it", async () => {
    const h = createHarness();
    const store = memoryStore(tokens({ accessTokenExpiresAt: new Date(NOW + 59_000) }));
    refreshRoute(h, () => ({ access_token: "AT-new-0000000002", refresh_token: "RT-new-0000000002", scope: "user-library-modify" }));
    h.app.get("/v1/me", (c) => {
      // The store must already hold the new token when Spotify first sees it.
      expect(store.tokens.accessToken).toBe("AT-new-0000000002");
      store.events.push(`use:${c.req.header("authorization")}`);
      return c.json({ id: "fan-1" });
    });
    await h.service.forFan(store).me();
    expect(store.events).toEqual(["load", "load", "save:AT-new-0000000002", "use:Bearer AT-new-0000000002"]);
    expect(store.tokens).toEqual({
      accessToken: "AT-new-0000000002",
      refreshToken: "RT-new-0000000002",
      accessTokenExpiresAt: new Date(NOW + 3600_000),
      scope: "user-library-modify",
    });
  });

  it("keeps the old refresh token when Spotify omits it", async () => {
    const h = createHarness();
    const store = memoryStore(tokens({ accessTokenExpiresAt: new Date(NOW - 1000) }));
    refreshRoute(h, () => ({ access_token: "AT-new-0000000003" }));
    meRoute(h, () => "AT-new-0000000003");
    await h.service.forFan(store).me();
    expect(store.tokens.refreshToken).toBe("RT-old-0000000001");
    expect(store.tokens.scope).toBe("user-library-modify user-library-read");
  });

  it("refreshes once for many concurrent callers (single-flight per store.key)", async () => {
    const h = createHarness();
    const store = memoryStore(tokens({ accessTokenExpiresAt: new Date(NOW + 10_000) }));
    refreshRoute(h, (n) => ({ access_token: `AT-new-${n}-00000000` }), 20);
    meRoute(h, () => "AT-new-1-00000000");
    // Two FanMusicApi objects for the same fan, several calls each.
    const a = h.service.forFan(store);
    const b = h.service.forFan(memoryStore(store.tokens, store.key));
    await Promise.all([a.me(), a.me(), b.me(), a.devices().catch(() => undefined), b.me()]);
    expect(h.callsTo("/api/token")).toHaveLength(1);
    expect(store.events.filter((e) => e.startsWith("save:"))).toEqual(["save:AT-new-1-00000000"]);
  });

  it("on a 401 refreshes once and retries once", async () => {
    const h = createHarness();
    const store = memoryStore(tokens());
    refreshRoute(h, () => ({ access_token: "AT-new-0000000004" }));
    meRoute(h, () => "AT-new-0000000004");
    await h.service.forFan(store).me();
    expect(h.callsTo("/api/token")).toHaveLength(1);
    expect(h.callsTo("/v1/me").map((c) => c.authorization)).toEqual(["Bearer AT-old-0000000001", "Bearer AT-new-0000000004"]);
  });

  it("raises unauthorized when the retry after refresh is 401 again (no loop)", async () => {
    const h = createHarness();
    const store = memoryStore(tokens());
    refreshRoute(h, (n) => ({ access_token: `AT-new-${n}-00000000` }));
    meRoute(h, () => "never-valid");
    const err = await caught(h.service.forFan(store).me());
    expect(err.kind).toBe("unauthorized");
    expect(h.callsTo("/api/token")).toHaveLength(1);
    expect(h.callsTo("/v1/me")).toHaveLength(2);
  });

  it("uses tokens another caller already renewed instead of refreshing again", async () => {
    const h = createHarness();
    const store = memoryStore(tokens());
    const fan = h.service.forFan(store);
    let valid = "AT-old-0000000001";
    meRoute(h, () => valid);
    refreshRoute(h, () => ({ access_token: "AT-should-not-be-used" }));
    await fan.me();
    // Another node refreshed and saved; our cached access token is now refused.
    store.tokens = tokens({ accessToken: "AT-other-node-0005", accessTokenExpiresAt: new Date(NOW + 3600_000) });
    valid = "AT-other-node-0005";
    await fan.me();
    expect(h.callsTo("/api/token")).toHaveLength(0);
    expect(h.callsTo("/v1/me").map((c) => c.authorization)).toEqual([
      "Bearer AT-old-0000000001",
      "Bearer AT-old-0000000001",
      "Bearer AT-other-node-0005",
    ]);
  });

  it("propagates invalid_grant from the refresh", async () => {
    const h = createHarness();
    const store = memoryStore(tokens({ accessTokenExpiresAt: new Date(NOW) }));
    h.app.post("/api/token", (c) => c.json({ error: "invalid_grant", error_description: "Refresh token revoked" }, 400));
    const err = await caught(h.service.forFan(store).me());
    expect(err.kind).toBe("invalid_grant");
    expect(err.retryable).toBe(false);
    expect(store.events.filter((e) => e.startsWith("save:"))).toEqual([]);
  });

  it("maps a refresh 5xx to unavailable, never invalid_grant", async () => {
    const h = createHarness();
    const store = memoryStore(tokens({ accessTokenExpiresAt: new Date(NOW) }));
    h.app.post("/api/token", (c) => c.text("upstream error", 502));
    expect((await caught(h.service.forFan(store).me())).kind).toBe("unavailable");
  });

  it("never leaks the fan's tokens in errors", async () => {
    const h = createHarness();
    const store = memoryStore(tokens({ accessTokenExpiresAt: new Date(NOW) }));
    h.app.post("/api/token", (c) => c.json({ error: "invalid_grant", error_description: `Invalid refresh token RT-old-0000000001` }, 400));
    const a = await caught(h.service.forFan(store).me());
    const h2 = createHarness();
    h2.app.get("/v1/me", (c) => c.json({ error: { status: 400, message: `weird ${c.req.header("authorization")}` } }, 400));
    const b = await caught(h2.service.forFan(memoryStore(tokens())).me());
    for (const err of [a, b]) {
      const text = [err.message, err.stack ?? "", JSON.stringify(err), String(err.cause ?? "")].join("\n");
      expect(text).not.toContain("RT-old-0000000001");
      expect(text).not.toContain("AT-old-0000000001");
      expect(text).not.toContain("client-secret-very-secret-0001");
    }
  });
});

describe("forFan library", () => {
  const albums = Array.from({ length: 25 }, (_, i) => `spotify:album:${fakeId(`al${i}`)}`);
  const tracks = Array.from({ length: 57 }, (_, i) => `spotify:track:${fakeId(`tr${i}`)}`);
  const artists = Array.from({ length: 3 }, (_, i) => `spotify:artist:${fakeId(`ar${i}`)}`);

  it("saves through PUT /me/library in chunks of at most 40 URIs", async () => {
    const h = createHarness({ quotaMode: "development" });
    h.app.put("/v1/me/library", (c) => c.body(null, 200));
    await h.service.forFan(memoryStore(tokens())).saveToLibrary([...albums, ...tracks, ...artists, albums[0]!]);
    const calls = h.callsTo("/v1/me");
    expect(calls.map((c) => c.path)).toEqual(["/v1/me/library", "/v1/me/library", "/v1/me/library"]);
    const sent = calls.map((c) => c.query.get("uris")!.split(","));
    expect(sent.map((s) => s.length)).toEqual([40, 40, 5]);
    expect(sent.flat()).toEqual([...albums, ...tracks, ...artists]);
  });

  it("uses the legacy per-type endpoints in extended quota mode, chunked per their limits", async () => {
    const h = createHarness({ quotaMode: "extended" });
    h.app.put("/v1/me/albums", (c) => c.body(null, 200));
    h.app.put("/v1/me/tracks", (c) => c.body(null, 200));
    h.app.put("/v1/me/following", (c) => c.body(null, 204));
    await h.service.forFan(memoryStore(tokens())).saveToLibrary([...albums, ...tracks, ...artists]);
    // PUT /me/tracks takes its ids in a JSON body (the query form is deprecated); the others in the query.
    const idsOf = (c: RecordedCall): string[] => c.query.get("ids")?.split(",") ?? (JSON.parse(c.body) as { ids: string[] }).ids;
    const summary = h.callsTo("/v1/me").map((c) => `${c.path}?${c.query.get("type") ?? ""}#${idsOf(c).length}`);
    expect(summary).toEqual(["/v1/me/albums?#20", "/v1/me/albums?#5", "/v1/me/tracks?#50", "/v1/me/tracks?#7", "/v1/me/following?artist#3"]);
    expect(h.callsTo("/v1/me/albums")[0]!.query.get("ids")!.split(",")[0]).toBe(albums[0]!.split(":")[2]);
    const trackCalls = h.callsTo("/v1/me/tracks");
    expect(trackCalls.map((c) => [...c.query.keys()])).toEqual([[], []]);
    expect(trackCalls.flatMap(idsOf)).toEqual(tracks.map((u) => u.split(":")[2]));
  });

  it("checks containment in order via /me/library/contains chunks", async () => {
    const h = createHarness();
    const saved = new Set([albums[3], tracks[44], artists[1]]);
    h.app.get("/v1/me/library/contains", (c) => c.json(c.req.query("uris")!.split(",").map((u) => saved.has(u))));
    const input = [...tracks, ...albums, ...artists];
    const result = await h.service.forFan(memoryStore(tokens())).libraryContains(input);
    expect(result).toEqual(input.map((u) => saved.has(u)));
    expect(h.callsTo("/v1/me/library/contains").map((c) => c.query.get("uris")!.split(",").length)).toEqual([40, 40, 5]);
  });

  it("checks containment through the legacy endpoints in extended mode and reassembles the order", async () => {
    const h = createHarness({ quotaMode: "extended" });
    const savedIds = new Set([albums[21]!.split(":")[2], tracks[0]!.split(":")[2], artists[2]!.split(":")[2]]);
    const answer = (ids: string) => ids.split(",").map((id) => savedIds.has(id));
    h.app.get("/v1/me/albums/contains", (c) => c.json(answer(c.req.query("ids")!)));
    h.app.get("/v1/me/tracks/contains", (c) => c.json(answer(c.req.query("ids")!)));
    h.app.get("/v1/me/following/contains", (c) => (c.req.query("type") === "artist" ? c.json(answer(c.req.query("ids")!)) : c.json({}, 400)));
    const input = [artists[2]!, ...albums, tracks[0]!, tracks[1]!];
    const result = await h.service.forFan(memoryStore(tokens())).libraryContains(input);
    expect(result).toEqual(input.map((u) => savedIds.has(u.split(":")[2])));
    expect(h.callsTo("/v1/me/albums/contains")).toHaveLength(2);
  });

  it("rejects non-library URIs before any call", async () => {
    const h = createHarness();
    const err = await caught(h.service.forFan(memoryStore(tokens())).saveToLibrary(["spotify:track:short", albums[0]!]));
    expect(err.kind).toBe("bad_request");
    expect(h.calls).toHaveLength(0);
  });
});

describe("forFan error mapping", () => {
  const cases: Array<[string, number, unknown, string]> = [
    ["no active device", 404, { error: { status: 404, message: "Player command failed: No active device found", reason: "NO_ACTIVE_DEVICE" } }, "no_active_device"],
    ["premium required", 403, { error: { status: 403, message: "Player command failed: Premium required", reason: "PREMIUM_REQUIRED" } }, "premium_required"],
    ["insufficient scope", 403, { error: { status: 403, message: "Insufficient client scope" } }, "insufficient_scope"],
    ["unregistered user (JSON)", 403, { error: { status: 403, message: "User not registered in the Developer Dashboard" } }, "unregistered_user"],
    ["unregistered user (text)", 403, "User not registered in the Developer Dashboard", "unregistered_user"],
    ["unregistered user (2021 text)", 403, "User not approved for app", "unregistered_user"],
    ["unregistered user (2024)", 403, { error: { status: 403, message: "Check settings on developer.spotify.com/dashboard, the user may not be registered." } }, "unregistered_user"],
    [
      "unregistered user (2026)",
      403,
      { error: { status: 403, message: "The user is not registered for this application. Please check your settings on https://developer.spotify.com/dashboard." } },
      "unregistered_user",
    ],
    ["other 403", 403, { error: { status: 403, message: "Forbidden" } }, "forbidden"],
    ["plain 404", 404, { error: { status: 404, message: "Device not found" } }, "not_found"],
  ];
  for (const [name, status, body, kind] of cases) {
    it(`maps ${name} to ${kind}`, async () => {
      const h = createHarness();
      h.app.put("/v1/me/player/play", (c) =>
        typeof body === "string" ? c.text(body, status as 403) : c.json(body as object, status as 403),
      );
      const err = await caught(h.service.forFan(memoryStore(tokens())).startPlayback({ contextUri: `spotify:album:${fakeId("a")}` }));
      expect(err.kind).toBe(kind);
      expect(err.status).toBe(status);
    });
  }

  it("maps a long 429 to rate_limited with retryAfterMs", async () => {
    const h = createHarness();
    h.app.get("/v1/me", (c) => c.json({ error: { status: 429, message: "API rate limit exceeded" } }, 429, { "Retry-After": "30" }));
    const err = await caught(h.service.forFan(memoryStore(tokens())).me());
    expect([err.kind, err.retryAfterMs, err.retryable]).toEqual(["rate_limited", 30_000, true]);
    expect(h.sleeps).toEqual([]);
  });
});

describe("forFan player and history", () => {
  it("starts playback with context_uri or uris and device_id", async () => {
    const h = createHarness();
    h.app.put("/v1/me/player/play", (c) => c.body(null, 204));
    const fan = h.service.forFan(memoryStore(tokens()));
    const album = `spotify:album:${fakeId("a")}`;
    const track = `spotify:track:${fakeId("t")}`;
    await fan.startPlayback({ contextUri: album, deviceId: "abc123def" });
    await fan.startPlayback({ uris: [track] });
    const [first, second] = h.callsTo("/v1/me/player/play");
    expect(first!.query.get("device_id")).toBe("abc123def");
    expect(JSON.parse(first!.body)).toEqual({ context_uri: album });
    expect(second!.query.has("device_id")).toBe(false);
    expect(JSON.parse(second!.body)).toEqual({ uris: [track] });
    expect((await caught(fan.startPlayback({ contextUri: album, uris: [track] }))).kind).toBe("bad_request");
  });

  it("lists devices", async () => {
    const h = createHarness();
    h.app.get("/v1/me/player/devices", (c) =>
      c.json({ devices: [{ id: "d1", name: "Phone", type: "Smartphone", is_active: true, volume_percent: 50 }, { id: null, name: "Web", type: "Computer", is_active: false }] }),
    );
    expect(await h.service.forFan(memoryStore(tokens())).devices()).toEqual([
      { id: "d1", name: "Phone", type: "Smartphone", isActive: true },
      { id: null, name: "Web", type: "Computer", isActive: false },
    ]);
  });

  it("maps recently played: local files, relinked tracks, played_at, cursor", async () => {
    const h = createHarness();
    const t = fakeId("rp");
    const asked = fakeId("rq");
    h.app.get("/v1/me/player/recently-played", (c) =>
      c.json({
        items: [
          { track: { id: t, is_local: false }, played_at: "2026-11-29T11:00:00.123Z", context: { uri: `spotify:album:${fakeId("a")}`, type: "album" } },
          { track: { id: null, is_local: true, name: "home recording" }, played_at: "2026-11-29T11:05:00Z", context: null },
          { track: { id: t, is_local: false, linked_from: { id: asked, type: "track" } }, played_at: "2026-11-29T11:09:00Z", context: null },
        ],
        next: null,
        cursors: { after: "1795000000000", before: "1794990000000" },
      }),
    );
    const res = await h.service.forFan(memoryStore(tokens())).recentlyPlayed({ afterMs: 1794000000000, limit: 50 });
    expect(res.items).toEqual([
      { trackId: t, linkedFromId: null, playedAt: new Date("2026-11-29T11:00:00.123Z"), contextUri: `spotify:album:${fakeId("a")}`, isLocal: false },
      { trackId: null, linkedFromId: null, playedAt: new Date("2026-11-29T11:05:00Z"), contextUri: null, isLocal: true },
      { trackId: t, linkedFromId: asked, playedAt: new Date("2026-11-29T11:09:00Z"), contextUri: null, isLocal: false },
    ]);
    expect(res.nextAfterMs).toBe(1795000000000);
    const q = h.callsTo("/v1/me/player/recently-played")[0]!.query;
    expect([q.get("after"), q.get("limit")]).toEqual(["1794000000000", "50"]);
    await expect(h.service.forFan(memoryStore(tokens())).recentlyPlayed({ limit: 51 })).rejects.toMatchObject({ kind: "bad_request" });
  });

  it("returns nextAfterMs null when nothing new was played", async () => {
    const h = createHarness();
    h.app.get("/v1/me/player/recently-played", (c) => c.json({ items: [], next: null, cursors: null }));
    expect(await h.service.forFan(memoryStore(tokens())).recentlyPlayed({ afterMs: 1 })).toEqual({ items: [], nextAfterMs: null });
  });

  it("pages saved track ids and followed artists", async () => {
    const h = createHarness();
    const ids = [fakeId("s1"), fakeId("s2")];
    h.app.get("/v1/me/tracks", (c) => c.json({ items: [{ track: { id: ids[0] } }, { track: { id: null } }, { track: { id: ids[1] } }], total: 120, next: "x" }));
    const artistIds = [fakeId("f1"), fakeId("f2")];
    h.app.get("/v1/me/following", (c) =>
      c.req.query("after")
        ? c.json({ artists: { items: [], next: null, cursors: { after: null } } })
        : c.json({ artists: { items: artistIds.map((id) => ({ id })), next: "https://api.spotify.test/v1/me/following?type=artist&after=x", cursors: { after: artistIds[1] } } }),
    );
    const fan = h.service.forFan(memoryStore(tokens()));
    expect(await fan.savedTrackIds({ limit: 3, offset: 50 })).toEqual({ ids, total: 120 });
    expect(Object.fromEntries(h.callsTo("/v1/me/tracks")[0]!.query)).toEqual({ limit: "3", offset: "50" });
    const page1 = await fan.followedArtistIds({});
    expect(page1).toEqual({ ids: artistIds, nextAfter: artistIds[1] });
    expect(await fan.followedArtistIds({ after: page1.nextAfter! })).toEqual({ ids: [], nextAfter: null });
    expect(h.callsTo("/v1/me/following")[0]!.query.get("type")).toBe("artist");
  });
});
