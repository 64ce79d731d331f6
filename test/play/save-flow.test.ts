import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { engagementEvents, oauthStates, playUsers, presaves, smartLinks } from "../../src/db/schema/index";
import { createFanTokenStore } from "../../src/modules/play/create-fan-token-store";
import { createSmartLink, deliverPresaves, SPOTIFY_FAN_SCOPES } from "../../src/modules/play/index";
import { createTestApp, TEST_PUBLIC_URL, type TestApp } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

const ALBUM_URL = "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?si=abc";
const ALBUM_URI = "spotify:album:4aawyAB9vmqN3uQ7FjRGTy";
const PITBULL = "0TnOYISbd1XYRBk9myaseg";

let t: TestApp;
let linkPath: string;

beforeEach(async () => {
  t = await createTestApp();
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: ALBUM_URL } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  linkPath = `/${created.artist.slug}/${created.link.slug}`;
});

afterEach(async () => {
  await t.close();
});

async function events() {
  await t.runtime.events.flush();
  return t.runtime.database.db.select().from(engagementEvents).orderBy(engagementEvents.id);
}

/** Tap Save on a landing reached with UTM + referrer, return the authorize redirect. */
async function tapSave(browser: ReturnType<TestApp["browser"]>, query = "?utm_source=ig&utm_campaign=launch&fbclid=abc") {
  const page = await browser.request(`${linkPath}${query}`, { headers: { referer: "https://l.instagram.com/somewhere?x=1" } });
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
  return browser.request(action, { method: "POST" });
}

describe("Save on Spotify, end to end through the app and the Spotify emulator", () => {
  it("P07 P08 saves the release, follows the artist, starts playback and records every step with its landing context", async () => {
    const browser = t.browser();
    const redirect = await tapSave(browser);
    expect(redirect.status).toBe(303);
    const authorizeUrl = redirect.headers.get("location")!;
    expect(authorizeUrl.startsWith(`${TEST_PUBLIC_URL}/_emulator/spotify/authorize?`)).toBe(true);
    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${TEST_PUBLIC_URL}/oauth/spotify/callback`);
    expect(authorize.searchParams.get("scope")!.split(" ").sort()).toEqual([...SPOTIFY_FAN_SCOPES].sort());

    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, authorizeUrl, { fan: { displayName: "Ana", country: "PT", product: "premium" } });
    const result = await browser.request(callbackUrl);
    expect(result.status).toBe(200);
    const html = await result.text();
    expect(html).toContain("Saved to your library");
    expect(html).toContain("Following Pitbull");
    expect(html).toMatch(/Playing on /);
    expect(html).toContain("https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy");

    const fan = t.runtime.spotifyEmulator!.control.getFan(fanId)!;
    expect(fan.libraryUris).toContain(ALBUM_URI);
    expect(fan.followedArtistIds).toContain(PITBULL);
    expect(fan.playback?.contextUri).toBe(ALBUM_URI);

    const recorded = await events();
    const types = recorded.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["VIEW", "AUTH", "SAVE_TRACK", "FOLLOW_ARTIST", "PLAYBACK_STARTED"]));
    for (const e of recorded.filter((r) => r.type !== "VIEW")) {
      expect(e.playUserId).toMatch(/^fan_/);
      expect(e.smartLinkId).toMatch(/^lnk_/);
      expect(e.occurredAt).toEqual(t.clock.now());
      expect(e.context.path).toBe(linkPath);
      expect(e.context.utm).toEqual({ source: "ig", campaign: "launch" });
      expect(e.context.referrerHost).toBe("l.instagram.com");
      expect(e.context.clickIds).toEqual(["fbclid"]);
    }
  });

  it("P01 stores the fan's tokens only sealed: no plaintext token anywhere in the database", async () => {
    const browser = t.browser();
    const redirect = await tapSave(browser);
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    await browser.request(callbackUrl);
    const [user] = await t.runtime.database.db.select().from(playUsers);
    const tokens = await createFanTokenStore(t.runtime.ctxFor({ kind: "system" }), user!.id).load();
    expect(user!.accessTokenSealed.startsWith("v1.test1.")).toBe(true);
    expect(user!.refreshTokenSealed.startsWith("v1.test1.")).toBe(true);
    const dump = JSON.stringify(
      await Promise.all([
        t.runtime.database.db.select().from(playUsers),
        t.runtime.database.db.select().from(oauthStates),
        t.runtime.database.db.select().from(engagementEvents),
        t.runtime.database.db.execute(sql`select data::text from pgboss.job`),
      ]),
    );
    expect(dump).not.toContain(tokens.accessToken);
    expect(dump).not.toContain(tokens.refreshToken);
  });

  it("P06 sets the Play cookie first-party, HttpOnly, SameSite=Lax, Path=/, ≤ 1 year, holding only the signed Spotify user id", async () => {
    const browser = t.browser();
    const redirect = await tapSave(browser);
    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    const result = await browser.request(callbackUrl);
    const cookie = result.headers.getSetCookie().find((c) => c.startsWith("play_spotify_uid="))!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)![1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(365 * 24 * 3600);
    const value = decodeURIComponent(cookie.split(";")[0]!.slice("play_spotify_uid=".length));
    const [uid, signature] = [value.slice(0, value.lastIndexOf(".")), value.slice(value.lastIndexOf(".") + 1)];
    expect(uid).toBe(fanId);
    expect(signature.length).toBeGreaterThanOrEqual(43);
  });

  it("P06 a returning fan with a valid cookie is served at once; a forged, unsigned or altered cookie is ignored", async () => {
    const browser = t.browser();
    const redirect = await tapSave(browser);
    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    await browser.request(callbackUrl);

    const again = await tapSave(browser, "");
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Saved to your library");

    const cookieValue = (await browser.jar.getCookies(TEST_PUBLIC_URL)).find((c) => c.key === "play_spotify_uid")!.value;
    // A signature Backbeat made for something else (an OAuth state) must not pass as a Play cookie.
    const state = new URL((await tapSave(t.browser(), "")).headers.get("location")!).searchParams.get("state")!;
    const [stateRandom, stateSignature] = state.split(".") as [string, string];
    const stateAsCookie = `${stateRandom}.${Buffer.from(stateSignature, "base64url").toString("base64")}`;
    for (const forged of [stateAsCookie, `oauth-state:spotify\n${stateAsCookie}`, fanId, `${fanId}.AAAA`, `${fanId}x.${decodeURIComponent(cookieValue).split(".").pop()}`, `other-user.${decodeURIComponent(cookieValue).split(".").pop()}`]) {
      const stranger = t.browser();
      await stranger.jar.setCookie(`play_spotify_uid=${encodeURIComponent(forged)}; Path=/`, TEST_PUBLIC_URL);
      const response = await tapSave(stranger, "");
      expect(response.status, forged).toBe(303);
      expect(response.headers.get("location")).toContain("/_emulator/spotify/authorize");
    }
  });

  it("P03 the state is single-use, expires after 10 minutes, is bound to the browser, and a bad state never reaches the token endpoint", async () => {
    const control = t.runtime.spotifyEmulator!.control;
    const tokenCalls = () => control.pendingFaults().length;
    const browser = t.browser();
    const { callbackUrl } = await driveSpotifyConsent(t, browser, (await tapSave(browser)).headers.get("location")!);
    const callback = new URL(callbackUrl);
    // A fault armed on the token endpoint stays pending unless the endpoint is called.
    control.injectFault({ pathPrefix: "/api/token", status: 500, times: 1 });

    const cases: Array<[string, string, ReturnType<TestApp["browser"]>]> = [
      ["missing", `/oauth/spotify/callback?code=${callback.searchParams.get("code")}`, browser],
      ["tampered", `/oauth/spotify/callback?code=x&state=${callback.searchParams.get("state")!.slice(0, -2)}AA`, browser],
      ["foreign browser", callback.pathname + callback.search, t.browser()],
    ];
    for (const [name, path, b] of cases) {
      const response = await b.request(path);
      expect(response.status, name).toBe(400);
      expect(await response.text(), name).toContain("Please start again");
      expect(tokenCalls(), name).toBe(1);
    }
    // The foreign browser used the state up; the rightful browser's replay is refused too.
    const replay = await browser.request(callback.pathname + callback.search);
    expect(replay.status).toBe(400);
    expect(tokenCalls()).toBe(1);

    const late = t.browser();
    const { callbackUrl: lateCallback } = await driveSpotifyConsent(t, late, (await tapSave(late)).headers.get("location")!);
    t.clock.advance(10 * 60 * 1000 + 1);
    const expired = await late.request(lateCallback);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("longer than 10 minutes");
    expect(tokenCalls()).toBe(1);
  });

  it("P03 a state replayed after a successful sign-in is refused", async () => {
    const browser = t.browser();
    const { callbackUrl } = await driveSpotifyConsent(t, browser, (await tapSave(browser)).headers.get("location")!);
    expect((await browser.request(callbackUrl)).status).toBe(200);
    expect((await browser.request(callbackUrl)).status).toBe(400);
  });

  it("P07 a cross-site POST to save is refused and saves nothing", async () => {
    const browser = t.browser();
    const response = await browser.request(`${linkPath}/save`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(await t.runtime.database.db.select().from(oauthStates)).toHaveLength(0);
  });

  it("P07 playback is best effort: a free fan and a fan with no device still get the save and the follow", async () => {
    for (const fan of [
      { displayName: "Free Fan", product: "free" as const },
      { displayName: "No Device", product: "premium" as const, hasActiveDevice: false, devices: [] },
    ]) {
      const browser = t.browser();
      const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, (await tapSave(browser)).headers.get("location")!, { fan });
      const result = await browser.request(callbackUrl);
      const html = await result.text();
      expect(result.status).toBe(200);
      expect(html).toContain("Saved to your library");
      expect(html).toMatch(fan.product === "free" ? /Premium/ : /open on any of your devices/);
      expect(t.runtime.spotifyEmulator!.control.getFan(fanId)!.libraryUris).toContain(ALBUM_URI);
    }
  });

  it("P07 a failing player is tried once, without retries, and never fails the save", async () => {
    const browser = t.browser();
    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, (await tapSave(browser)).headers.get("location")!);
    const control = t.runtime.spotifyEmulator!.control;
    control.injectFault({ method: "PUT", pathPrefix: "/v1/me/player/play", status: 503, times: 2 });
    const html = await (await browser.request(callbackUrl)).text();
    expect(html).toContain("Saved to your library");
    expect(html).toContain("Playback didn");
    // One of the two armed faults is left: the client did not retry playback.
    expect(control.pendingFaults()).toHaveLength(1);
    expect(control.getFan(fanId)!.libraryUris).toContain(ALBUM_URI);
  });

  it("a denied consent gets a friendly page and a recorded reason, never a 500", async () => {
    const browser = t.browser();
    const { callbackUrl } = await driveSpotifyConsent(t, browser, (await tapSave(browser)).headers.get("location")!, { decision: "cancel" });
    const result = await browser.request(callbackUrl);
    expect(result.status).toBe(200);
    expect(await result.text()).toContain("Nothing was saved");
    const failed = (await events()).filter((e) => e.type === "AUTH_FAILED");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatchObject({ reason: "consent_denied" });
    expect(await t.runtime.database.db.select().from(playUsers)).toHaveLength(0);
  });

  it("Spotify failing on the token endpoint gives a friendly 503 page, no Play user", async () => {
    const browser = t.browser();
    const { callbackUrl } = await driveSpotifyConsent(t, browser, (await tapSave(browser)).headers.get("location")!);
    t.runtime.spotifyEmulator!.control.injectFault({ pathPrefix: "/api/token", status: 503, times: 10 });
    const result = await browser.request(callbackUrl);
    expect(result.status).toBe(503);
    expect(await result.text()).toContain("Spotify isn't answering");
    expect(await t.runtime.database.db.select().from(playUsers)).toHaveLength(0);
  });
});

describe("pre-save", () => {
  it("P08 records a pre-save for an unreleased release and delivers it on release day", async () => {
    const ctx = t.runtime.ctxFor({ kind: "cli" });
    const created = await createSmartLink({ ctx, input: { spotifyUrl: "spotify:album:0BackbeatDemoUpcoming1" } });
    if (created.kind !== "smart_link") throw new Error("expected link");
    const path = `/${created.artist.slug}/${created.link.slug}`;
    const browser = t.browser();
    const page = await browser.request(path);
    expect(await page.text()).toContain("Pre-save on Spotify");
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    const result = await browser.request(callbackUrl);
    expect(await result.text()).toContain("Pre-saved");
    const control = t.runtime.spotifyEmulator!.control;
    // A second tap by the same fan is still one pre-save.
    expect((await browser.request(`${path}/save`, { method: "POST" })).status).toBe(200);
    expect(await t.runtime.database.db.select().from(presaves)).toHaveLength(1);
    expect(control.getFan(fanId)!.libraryUris).not.toContain("spotify:album:0BackbeatDemoUpcoming1");
    expect((await events()).map((e) => e.type)).toContain("PRESAVE");

    // Before release day nothing is due.
    expect(await deliverPresaves({ ctx, input: {} })).toEqual({});
    t.clock.set(`${created.link.releaseDate}T00:05:00Z`);
    expect(await deliverPresaves({ ctx, input: {} })).toEqual({ delivered: 1 });
    expect(control.getFan(fanId)!.libraryUris).toContain("spotify:album:0BackbeatDemoUpcoming1");
    const [row] = await t.runtime.database.db.select().from(presaves);
    expect(row).toMatchObject({ status: "delivered", attempts: 1 });
    const delivered = (await events()).filter((e) => e.type === "SAVE_TRACK");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.context.path).toBe(path);
    expect(delivered[0]!.detail).toMatchObject({ via: "presave" });
    // Idempotent: a second run does nothing.
    expect(await deliverPresaves({ ctx, input: {} })).toEqual({});
  });

  it("keeps a per-fan delivery ledger: not live yet is retried with backoff, a revoked fan is recorded as revoked", async () => {
    const ctx = t.runtime.ctxFor({ kind: "cli" });
    const created = await createSmartLink({ ctx, input: { spotifyUrl: "spotify:album:0BackbeatDemoUpcoming1" } });
    if (created.kind !== "smart_link") throw new Error("expected link");
    const path = `/${created.artist.slug}/${created.link.slug}`;
    const control = t.runtime.spotifyEmulator!.control;
    const fans: string[] = [];
    for (const name of ["One", "Two"]) {
      const browser = t.browser();
      const redirect = await browser.request(`${path}/save`, { method: "POST" });
      const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, { fan: { displayName: name } });
      await browser.request(callbackUrl);
      fans.push(fanId);
    }
    // The artist's date says today, but Spotify has not put the release live yet.
    const today = t.clock.now().toISOString().slice(0, 10);
    await t.runtime.database.db.update(smartLinks).set({ releaseDate: today });
    control.revokeFan(fans[1]!);
    t.clock.advance(2 * 60 * 60 * 1000);

    expect(await deliverPresaves({ ctx, input: {} })).toEqual({ not_live_yet: 1, revoked: 1 });
    const ledger = async () => Object.fromEntries((await t.runtime.database.db.select().from(presaves)).map((p) => [p.status, p]));
    const first = await ledger();
    expect(first.not_live_yet!.attempts).toBe(1);
    expect(first.not_live_yet!.nextAttemptAt!.getTime() - t.clock.now().getTime()).toBe(15 * 60 * 1000);
    expect(first.revoked!.attempts).toBe(1);

    t.clock.advance(10 * 60 * 1000);
    expect(await deliverPresaves({ ctx, input: {} })).toEqual({});
    t.clock.advance(6 * 60 * 1000);
    expect(await deliverPresaves({ ctx, input: {} })).toEqual({ not_live_yet: 1 });
    const second = await ledger();
    expect(second.not_live_yet!.attempts).toBe(2);
    expect(second.not_live_yet!.nextAttemptAt!.getTime() - t.clock.now().getTime()).toBe(30 * 60 * 1000);

    // Spotify's release day comes: delivered on the next due run.
    t.clock.set(`${created.link.releaseDate}T00:01:00Z`);
    expect(await deliverPresaves({ ctx, input: {} })).toEqual({ delivered: 1 });
    expect(control.getFan(fans[0]!)!.libraryUris).toContain("spotify:album:0BackbeatDemoUpcoming1");
  });
});
