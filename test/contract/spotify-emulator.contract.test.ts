/**
 * Contract: every Web API response body Backbeat uses, as served by the Spotify emulator,
 * validates against Spotify's published OpenAPI description (2xx schema of the operation,
 * `{ error: ErrorObject }` for errors); every request we send here validates too.
 *
 * Relaxed, and only because the spec README or Spotify's own documentation says so
 * (details in load-spotify-spec.ts):
 *   R1 development mode: deprecated properties are not required (README);
 *   R2 /me/library accepts spotify:artist: URIs (README);
 *   R3 documented/observed nulls without `nullable` (next, cursors, context, display_name);
 *   R4 local-file tracks with null ids (Spotify's Local Files guide).
 * Added (README: "no required lists … add your own stricter schemas"): required lists for
 * the fields Backbeat reads.
 * The Accounts service (/authorize, /api/token) is not in the OpenAPI file; token answers
 * are checked against the shape documented in Spotify's authorization guides.
 */
import { describe, expect, it } from "vitest";
import { DEMO_UPCOMING, RELINKED_TRACK } from "../../src/providers/spotify/emulator/catalog";
import { createPkce, startEmulatorKit, type EmulatorKit } from "../../src/providers/spotify/emulator/start-emulator-kit";
import { loadSpotifySpec, validateSpotifyRequest, validateSpotifyResponse, type QuotaMode } from "./load-spotify-spec";

interface Recorder {
  call(method: string, url: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  problems: string[];
  seen: Set<string>;
}

function recorder(kit: EmulatorKit, quotaMode: QuotaMode): Recorder {
  const problems: string[] = [];
  const seen = new Set<string>();
  return {
    problems,
    seen,
    async call(method, url, options = {}) {
      problems.push(...validateSpotifyRequest({ method, url, body: options.body, quotaMode }).filter((p) => !(quotaMode === "development" && p.includes("deprecated operation"))));
      const headers: Record<string, string> = options.token ? kit.bearer(options.token) : {};
      if (options.body !== undefined) headers["content-type"] = "application/json";
      const res = await kit.req(url, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
      const text = await res.text();
      const body: unknown = text ? JSON.parse(text) : undefined;
      problems.push(...validateSpotifyResponse({ method, path: url, status: res.status, body, quotaMode }));
      seen.add(`${method} ${url.split("?")[0]} ${res.status}`);
      return { status: res.status, body };
    },
  };
}

async function exerciseEmulator(quotaMode: QuotaMode): Promise<Recorder> {
  const kit = startEmulatorKit({ quotaMode });
  const r = recorder(kit, quotaMode);
  const fan = await kit.connectFan({ displayName: "Contract Fan", country: "DE" });
  const t = fan.accessToken;
  const base = Date.parse("2026-11-29T10:00:00Z");
  kit.control.recordPlay(fan.fanId, "11dFghVXANMlKmJXsNCbNl", new Date(base), { contextUri: "spotify:album:0tGPJ0bkWOUmH7MEOR77qc" });
  kit.control.recordPlay(fan.fanId, "0DiWol3AO6WpXZgp0goxAV", new Date(base + 300_000));
  kit.control.recordPlay(fan.fanId, null, new Date(base + 600_000), { localName: "demo.mp3" });
  // A relinked play: the item's track carries `linked_from` (LinkedTrackObject in the spec).
  kit.control.recordPlay(fan.fanId, RELINKED_TRACK.requestedId, new Date(base + 900_000), { linkedFromId: RELINKED_TRACK.servedId });

  // Catalog.
  expect((await r.call("GET", "/v1/tracks/11dFghVXANMlKmJXsNCbNl", { token: t })).status).toBe(200);
  expect((await r.call("GET", `/v1/tracks/${RELINKED_TRACK.requestedId}?market=DE`, { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/albums/4aawyAB9vmqN3uQ7FjRGTy?market=US", { token: t })).status).toBe(200);
  expect((await r.call("GET", `/v1/albums/${DEMO_UPCOMING.albumId}`, { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?limit=2&offset=1", { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/artists/0TnOYISbd1XYRBk9myaseg", { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?include_groups=album,single&limit=10&offset=0", { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/tracks/not-valid", { token: t })).status).toBe(400);
  expect((await r.call("GET", "/v1/tracks/0000000000000000000000", { token: t })).status).toBe(404);
  expect((await r.call("GET", "/v1/me")).status).toBe(401);

  // The fan.
  expect((await r.call("GET", "/v1/me", { token: t })).status).toBe(200);
  const uris = "spotify:track:11dFghVXANMlKmJXsNCbNl,spotify:album:4aawyAB9vmqN3uQ7FjRGTy,spotify:artist:0TnOYISbd1XYRBk9myaseg,spotify:artist:4tZwfgrHOc3mvqYlEYSvVi";
  expect((await r.call("PUT", `/v1/me/library?uris=${uris}`, { token: t })).status).toBe(200);
  expect((await r.call("GET", `/v1/me/library/contains?uris=${uris}`, { token: t })).status).toBe(200);
  expect((await r.call("PUT", `/v1/me/library?uris=spotify:album:${DEMO_UPCOMING.albumId}`, { token: t })).status).toBe(404);
  expect((await r.call("GET", "/v1/me/tracks?limit=10&offset=0", { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/me/following?type=artist&limit=1", { token: t })).status).toBe(200);
  expect((await r.call("GET", "/v1/me/following?type=artist&limit=1&after=0TnOYISbd1XYRBk9myaseg", { token: t })).status).toBe(200);
  expect((await r.call("DELETE", "/v1/me/library?uris=spotify:artist:4tZwfgrHOc3mvqYlEYSvVi", { token: t })).status).toBe(200);

  // Legacy per-type endpoints: accepted in extended mode, 403 in development mode.
  const legacy = quotaMode === "extended" ? [200, 200, 204, 200, 200, 200] : [403, 403, 403, 403, 403, 403];
  expect((await r.call("PUT", "/v1/me/tracks", { token: t, body: { ids: ["6OmhkSOpvYBokMKQxpIGx2"] } })).status).toBe(legacy[0]);
  expect((await r.call("PUT", "/v1/me/albums?ids=2noRn2Aes5aoNVsU6iWThc", { token: t })).status).toBe(legacy[1]);
  expect((await r.call("PUT", "/v1/me/following?type=artist&ids=6sFIWsNpZYqfjUpaCgueju", { token: t })).status).toBe(legacy[2]);
  expect((await r.call("GET", "/v1/me/tracks/contains?ids=6OmhkSOpvYBokMKQxpIGx2", { token: t })).status).toBe(legacy[3]);
  expect((await r.call("GET", "/v1/me/albums/contains?ids=2noRn2Aes5aoNVsU6iWThc", { token: t })).status).toBe(legacy[4]);
  expect((await r.call("GET", "/v1/me/following/contains?type=artist&ids=6sFIWsNpZYqfjUpaCgueju", { token: t })).status).toBe(legacy[5]);

  // Player.
  expect((await r.call("GET", "/v1/me/player/devices", { token: t })).status).toBe(200);
  expect((await r.call("PUT", "/v1/me/player/play", { token: t, body: { context_uri: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" } })).status).toBe(204);
  expect((await r.call("GET", "/v1/me/player/recently-played?limit=2", { token: t })).status).toBe(200);
  expect((await r.call("GET", `/v1/me/player/recently-played?after=${base + 3_600_000}`, { token: t })).status).toBe(200);
  const free = await kit.connectFan({ product: "free" });
  expect((await r.call("PUT", "/v1/me/player/play", { token: free.accessToken, body: { uris: ["spotify:track:11dFghVXANMlKmJXsNCbNl"] } })).status).toBe(403);
  const idle = await kit.connectFan({ hasActiveDevice: false });
  expect((await r.call("PUT", "/v1/me/player/play", { token: idle.accessToken, body: { uris: ["spotify:track:11dFghVXANMlKmJXsNCbNl"] } })).status).toBe(404);

  // Rate limit and faults.
  kit.control.injectFault({ pathPrefix: "/v1/me", status: 503, times: 1 });
  expect((await r.call("GET", "/v1/me", { token: t })).status).toBe(503);
  kit.control.setRateLimit({ maxRequests: 1, windowSeconds: 30 });
  await r.call("GET", "/v1/me", { token: t });
  expect((await r.call("GET", "/v1/me", { token: t })).status).toBe(429);
  return r;
}

describe("Spotify emulator contract (OpenAPI)", () => {
  for (const quotaMode of ["extended", "development"] as const) {
    it(`every response Backbeat uses matches the spec (${quotaMode} quota mode)`, async () => {
      const r = await exerciseEmulator(quotaMode);
      expect(r.problems).toEqual([]);
      expect(r.seen.size).toBeGreaterThan(25);
    });
  }

  it("token endpoint answers have the documented shape", async () => {
    const kit = startEmulatorKit();
    const fan = kit.control.createFan({ displayName: "T" });
    const pkce = createPkce();
    const { code } = kit.control.authorizeFan({ fanId: fan.id, scopes: ["user-read-private", "user-library-modify"], codeChallenge: pkce.challenge });
    const body = (await (await kit.exchange(code, pkce.verifier)).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "user-read-private user-library-modify" });
    const error = (await (await kit.exchange(code, pkce.verifier)).json()) as Record<string, unknown>;
    expect(Object.keys(error).sort()).toEqual(["error", "error_description"]);
  });

  it("the validators are not vacuous", () => {
    const spec = loadSpotifySpec();
    expect(spec.validateSpotifyResponse({ method: "GET", path: "/v1/tracks/x", status: 200, body: { name: "no id" } }).join("\n")).toMatch(/must have required property 'id'/);
    expect(spec.validateSpotifyResponse({ method: "GET", path: "/v1/me/player/devices", status: 200, body: { devices: [{ id: 1 }] } })).not.toEqual([]);
    expect(spec.validateSpotifyResponse({ method: "GET", path: "/v1/me", status: 500, body: { message: "x" } })).not.toEqual([]);
    expect(spec.validateSpotifyResponse({ method: "PUT", path: "/v1/me/player/play", status: 204, body: { x: 1 } })).not.toEqual([]);
    expect(spec.validateSpotifyResponse({ method: "GET", path: "/v1/nowhere", status: 200, body: {} })).toEqual(["no path in the spec matches /nowhere"]);

    expect(validateSpotifyRequest({ method: "GET", url: "https://api.spotify.com/v1/tracks/abc?market=DE" })).toEqual([]);
    expect(validateSpotifyRequest({ method: "GET", url: "/v1/tracks/abc?country=DE" })).toEqual(['GET /tracks/{id}: undocumented query parameter "country"']);
    expect(validateSpotifyRequest({ method: "GET", url: "/v1/me/player/recently-played?limit=x" }).length).toBeGreaterThan(0);
    expect(validateSpotifyRequest({ method: "PUT", url: "/v1/me/library" })).toEqual(['PUT /me/library: missing required query parameter "uris"']);
    expect(validateSpotifyRequest({ method: "PUT", url: "/v1/me/library?uris=spotify:artist:0TnOYISbd1XYRBk9myaseg" })).toEqual([]);
    expect(validateSpotifyRequest({ method: "PUT", url: "/v1/me/library?uris=spotify:genre:pop" })).toEqual(["PUT /me/library: unsupported URI spotify:genre:pop"]);
    expect(validateSpotifyRequest({ method: "PUT", url: "/v1/me/player/play", body: { uris: "spotify:track:x" } }).length).toBeGreaterThan(0);
    expect(validateSpotifyRequest({ method: "PUT", url: "/v1/me/tracks", body: { ids: ["abc"] }, quotaMode: "development" })).toEqual([
      "PUT /me/tracks: deprecated operation, refused for development-mode apps",
    ]);
    expect(validateSpotifyRequest({ method: "PATCH", url: "/v1/me" })).toEqual(["PATCH is not documented for /me"]);
  });
});
