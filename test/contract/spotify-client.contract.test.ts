/**
 * Contract: every request Backbeat's Spotify client sends, and every answer it reads, as
 * exchanged with the Spotify emulator, matches Spotify's published description:
 *   - Web API (`/v1/…`): the OpenAPI file `../shared/spotify-openapi/fixed-spotify-open-api.yml`
 *     (copied verbatim to `./spotify-openapi/`), via `validateSpotifyRequest` (operation exists,
 *     query parameters declared and typed, required ones present, JSON body schema, no
 *     deprecated operation in development quota mode, ≤ 40 library URIs) and
 *     `validateSpotifyResponse` (2xx schema of the operation, `{ error: ErrorObject }` for
 *     errors), in the quota mode under test. Plus: a Bearer credential on every call, no
 *     credential in a URL, JSON bodies declared as JSON.
 *   - Accounts service (`/authorize`, `/api/token`): not in the OpenAPI file; the rules of
 *     Spotify's authorization guides are encoded in spotify-client-harness.ts (T1–T6 request,
 *     U1–U3 answer, Z1–Z3 consent URL), each with its source.
 * Every `MusicService` method (src/providers/spotify/port.ts) is called, in BOTH quota modes
 * (`extended` uses the legacy per-type library endpoints, `development` uses /me/library),
 * and the set of (method, path template) pairs on the wire must be exactly the expected one,
 * so a new endpoint cannot slip in unvalidated.
 *
 * Relaxed — only what the spec README lists, plus what the emulator contract test already
 * documents (implemented and explained in load-spotify-spec.ts):
 *   R1 (spec README) development mode: deprecated properties are not `required` (Spotify
 *      removed them for development-mode apps in February 2026).
 *   R2 (spec README) `PUT /me/library` and `GET /me/library/contains` accept `spotify:artist:`
 *      URIs (the migration guide says /me/library replaces /me/following).
 *   R3 (emulator contract test) documented/observed nulls the schema lacks `nullable` for:
 *      CursorPagingObject.next/cursors, CursorObject.after/before, PlayHistoryObject.context,
 *      PrivateUserObject.display_name.
 *   R4 (emulator contract test; Spotify's Local Files guide) a TrackObject may be a local file
 *      with `is_local: true` and null ids.
 * Stricter (spec README: "add your own stricter schemas"): A1 required lists for the fields
 * Backbeat reads. Unlike the emulator contract test, nothing is filtered out here: in
 * development mode a deprecated operation is a failure (the client must not use one). The
 * legacy library endpoints are `deprecated` in the file too; extended-quota apps keep them
 * (README invariant 8), and the validator reports deprecation only in development mode.
 */
import { describe, expect, it } from "vitest";
import { createSpotifyService } from "../../src/providers/spotify/client/index";
import { ARTIST_RELEASES_PAGE_LIMIT } from "../../src/providers/spotify/client/list-artist-releases";
import { createLogger } from "../../src/lib/logger";
import { CONTRACT, createWireRecorder, exerciseEveryMethod, expectedEndpoints, setupClientEnv, usedEndpoints } from "./spotify-client-harness";
import { validateSpotifyRequest } from "./load-spotify-spec";

describe("Spotify client contract (OpenAPI + Accounts rules)", () => {
  for (const quotaMode of ["extended", "development"] as const) {
    it(`every request and answer of every MusicService method is valid (${quotaMode} quota mode)`, async () => {
      const env = setupClientEnv(quotaMode);
      await exerciseEveryMethod(env);
      expect(env.wire.problems).toEqual([]);
      expect(usedEndpoints(env)).toEqual([...expectedEndpoints(quotaMode)].sort());
      // Nothing bypassed the recorder: every exchange has a key the contract knows.
      expect(env.wire.exchanges.length).toBeGreaterThan(40);
    });
  }

  it("lists an artist's releases with a page size valid in both quota modes (development: max 10)", async () => {
    for (const quotaMode of ["extended", "development"] as const) {
      const env = setupClientEnv(quotaMode);
      const releases = await env.service.catalog.listArtistReleases(CONTRACT.artist);
      expect(releases).toHaveLength(1 + CONTRACT.singles.length);
      const pages = env.wire.exchanges.filter((e) => e.key === "GET /artists/{id}/albums");
      expect(pages.map((p) => [p.status, new URL(p.url).searchParams.get("limit")])).toEqual([
        [200, "10"],
        [200, "10"],
        [200, "10"],
      ]);
      expect(env.wire.problems).toEqual([]);
    }
    expect(ARTIST_RELEASES_PAGE_LIMIT).toBe(10);
    // What the client used to send in extended mode: outside the documented range.
    expect(validateSpotifyRequest({ method: "GET", url: "/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?include_groups=album,single&limit=50" })).not.toEqual([]);
  });

  it("the wire checks are not vacuous", async () => {
    // A client with a wrong redirect URI, a foreign host and an unknown endpoint must be caught.
    const env = setupClientEnv("development");
    const rogue = createSpotifyService(
      { ...env.config, redirectUri: "http://127.0.0.1:9999/elsewhere" },
      { clock: env.clock, logger: createLogger({ level: "silent" }), fetch: env.wire.fetch, sleep: async () => {} },
    );
    await env.caught(rogue.accounts.exchangeCode({ code: "AQcode", codeVerifier: "v".repeat(43) }));
    expect(env.wire.problems.join("\n")).toMatch(/redirect_uri is not the registered one/);
    expect(env.wire.problems.join("\n")).toMatch(/code_verifier does not match an S256 challenge/);

    const wire = createWireRecorder(env.root, env.config, "development");
    await wire.fetch(`${env.config.apiUrl}/me/tracks?ids=abc`, { method: "PUT", headers: { authorization: "Bearer x" } });
    await wire.fetch(`${env.config.apiUrl}/artists/0TnOYISbd1XYRBk9myaseg/albums?limit=50`, { headers: { authorization: "Bearer x" } });
    await wire.fetch(`${env.config.apiUrl}/me`);
    await wire.fetch(`${env.config.accountsUrl}/api/token?refresh_token=x`, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_secret: "s" }) });
    await wire.fetch("http://127.0.0.1:3000/elsewhere");
    const all = wire.problems.join("\n");
    expect(all).toMatch(/PUT \/me\/tracks: deprecated operation/);
    expect(all).toMatch(/PUT \/me\/tracks: undocumented query parameter "ids"/);
    expect(all).toMatch(/\/artists\/\{id\}\/albums \?limit: .*must be <= 10/);
    expect(all).toMatch(/GET \/me: no Bearer credential/);
    expect(all).toMatch(/POST \/api\/token: has a query string/);
    expect(all).toMatch(/client_secret in the body/);
    expect(all).toMatch(/Authorization is not Basic/);
    expect(all).toMatch(/outside \{apiUrl\}/);
  });
});
