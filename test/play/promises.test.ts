import { afterEach, describe, expect, it } from "vitest";
import { engagementEvents, playUsers } from "../../src/db/schema/index";
import { createFanTokenStore } from "../../src/modules/play/create-fan-token-store";
import { createSmartLink, SPOTIFY_FAN_SCOPES } from "../../src/modules/play/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function albumLink(app: TestApp): Promise<string> {
  const created = await createSmartLink({ ctx: app.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  return `/${created.artist.slug}/${created.link.slug}`;
}

describe("Play promises", () => {
  it("P07 the scopes requested are the pinned list (change PROMISES.md, docs/spotify-scopes.md and the policy page first)", () => {
    expect([...SPOTIFY_FAN_SCOPES]).toEqual([
      "user-library-modify",
      "user-follow-modify",
      "user-modify-playback-state",
      "user-read-playback-state",
      "user-read-private",
      "user-library-read",
      "user-follow-read",
      "user-read-recently-played",
    ]);
  });

  it("P02 no token, code, verifier or secret appears in logs or pages during a whole save flow with provider faults", { timeout: 90_000 }, async () => {
    const logLines: string[] = [];
    t = await createTestApp({ logLines });
    const path = await albumLink(t);
    const browser = t.browser();
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    // Make playback fail with a 5xx and the save retry once, so error paths log too.
    t.runtime.spotifyEmulator!.control.injectFault({ pathPrefix: "/v1/me/player", status: 502, times: 10 });
    t.runtime.spotifyEmulator!.control.injectFault({ pathPrefix: "/v1/me/library", status: 503, times: 1 });
    const result = await browser.request(callbackUrl);
    const html = await result.text();
    expect(html).toContain("Saved to your library");

    const [user] = await t.runtime.database.db.select().from(playUsers);
    const tokens = await createFanTokenStore(t.runtime.ctxFor({ kind: "system" }), user!.id).load();
    const code = new URL(callbackUrl).searchParams.get("code")!;
    const state = new URL(callbackUrl).searchParams.get("state")!;
    const secrets = [tokens.accessToken, tokens.refreshToken, code, state, t.config.spotify.clientSecret, t.config.cookieSecret, t.config.visitorHashSecret];
    expect(logLines.length).toBeGreaterThan(0);
    const everything = logLines.join("\n") + html;
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it("P07 development-mode app over its user cap: a friendly page with the service links, a recorded reason, no Play user", async () => {
    t = await createTestApp({ env: { SPOTIFY_QUOTA_MODE: "development" } });
    const path = await albumLink(t);
    const control = t.runtime.spotifyEmulator!.control;
    for (let i = 0; i < 5; i++) control.createFan({ displayName: `Registered ${i}`, registered: true });
    const browser = t.browser();
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, { fan: { displayName: "Sixth", registered: false } });
    const result = await browser.request(callbackUrl);
    expect(result.status).toBe(200);
    const html = await result.text();
    expect(html).toContain("Saving isn");
    expect(html).toContain(`href="${path}"`);
    expect(await t.runtime.database.db.select().from(playUsers)).toHaveLength(0);
    const failed = (await t.runtime.database.db.select().from(engagementEvents)).filter((e) => e.type === "AUTH_FAILED");
    expect(failed.map((e) => e.detail)).toEqual([{ reason: "development_mode_cap" }]);
  });

  it("P07 development mode with a registered fan saves through PUT /me/library", async () => {
    t = await createTestApp({ env: { SPOTIFY_QUOTA_MODE: "development" } });
    const path = await albumLink(t);
    const browser = t.browser();
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, { fan: { displayName: "Reg", registered: true } });
    expect(await (await browser.request(callbackUrl)).text()).toContain("Saved to your library");
    expect(t.runtime.spotifyEmulator!.control.getFan(fanId)!.libraryUris).toContain("spotify:album:4aawyAB9vmqN3uQ7FjRGTy");
  });

  it("P07 a revoked authorization sends a returning fan through Spotify again instead of failing", async () => {
    t = await createTestApp();
    const path = await albumLink(t);
    const browser = t.browser();
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    await browser.request(callbackUrl);
    t.runtime.spotifyEmulator!.control.revokeFan(fanId);
    t.clock.advance(2 * 60 * 60 * 1000); // access token expired: the client must refresh, which is refused
    const again = await browser.request(`${path}/save`, { method: "POST" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toContain("/_emulator/spotify/authorize");
  });
});
