import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deletionRequests, engagementEvents, playUsers, presaves } from "../../src/db/schema/index";
import { createSmartLink, SPOTIFY_FAN_SCOPES } from "../../src/modules/play/index";
import { createTestApp, TEST_PUBLIC_URL, type TestApp, type TestBrowser } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function fanPresaves(browser: TestBrowser, fan?: { fanId: string }): Promise<string> {
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: "spotify:album:0BackbeatDemoUpcoming1" } });
  if (created.kind !== "smart_link") throw new Error("expected link");
  const redirect = await browser.request(`/${created.artist.slug}/${created.link.slug}/save`, { method: "POST" });
  const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, fan ?? {});
  expect((await browser.request(callbackUrl)).status).toBe(200);
  return fanId;
}

async function counts() {
  const db = t.runtime.database.db;
  return {
    users: (await db.select().from(playUsers)).length,
    presaves: (await db.select().from(presaves)).length,
    fanEvents: (await db.select().from(engagementEvents)).filter((e) => e.playUserId !== null).length,
  };
}

describe("data deletion", () => {
  it("P17 a fan recognised by the signed cookie deletes at once and gets a confirmation code and a status page", async () => {
    const browser = t.browser();
    await fanPresaves(browser);
    const other = t.browser();
    await fanPresaves(other);
    expect(await counts()).toMatchObject({ users: 2, presaves: 2 });

    const page = await browser.request("/data-deletion");
    expect(await page.text()).toContain("Delete my data now");
    const response = await browser.request("/data-deletion", { method: "POST" });
    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/data-deletion\/status\/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("play_spotify_uid=;"))).toBe(true);

    const after = await counts();
    expect(after.users).toBe(1);
    expect(after.presaves).toBe(1);
    const status = await browser.request(location);
    expect(status.status).toBe(200);
    expect(await status.text()).toContain("were deleted");
    const [request] = await t.runtime.database.db.select().from(deletionRequests);
    expect(request).toMatchObject({ status: "completed", proof: "play_cookie" });
    expect(JSON.stringify(request)).not.toMatch(/fan_|spotify/i);
  });

  it("P17 without the cookie the fan proves control by a Spotify sign-in; no token is stored", async () => {
    const first = t.browser();
    const fanId = await fanPresaves(first);
    const elsewhere = t.browser(); // another device, no cookie
    const response = await elsewhere.request("/data-deletion", { method: "POST" });
    expect(response.status).toBe(303);
    const authorize = new URL(response.headers.get("location")!);
    expect(authorize.searchParams.get("scope") ?? "").toBe("");
    const { callbackUrl } = await driveSpotifyConsent(t, elsewhere, authorize.toString(), { fanId });
    const done = await elsewhere.request(callbackUrl);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toMatch(/^\/data-deletion\/status\//);
    expect(await counts()).toEqual({ users: 0, presaves: 0, fanEvents: 0 });
    const [request] = await t.runtime.database.db.select().from(deletionRequests);
    expect(request).toMatchObject({ status: "completed", proof: "spotify_sign_in" });
  });

  it("P17 a cross-site deletion POST is refused; a forged cookie deletes nothing; unknown codes are 404", async () => {
    const browser = t.browser();
    const fanId = await fanPresaves(browser);
    expect((await browser.request("/data-deletion", { method: "POST", headers: { origin: "https://evil.example" } })).status).toBe(403);
    const forger = t.browser();
    await forger.jar.setCookie(`play_spotify_uid=${fanId}.forged; Path=/`, TEST_PUBLIC_URL);
    const forged = await forger.request("/data-deletion", { method: "POST" });
    expect(forged.headers.get("location")).toContain("/_emulator/spotify/authorize");
    expect((await counts()).users).toBe(1);
    expect((await browser.request("/data-deletion/status/AAAA-BBBB-CCCC")).status).toBe(404);
    expect((await browser.request("/data-deletion/status/%3Cscript%3E")).status).toBe(404);
  });

  it("P21 the policy page lists the cookies, retention periods and Spotify permissions this configuration uses", async () => {
    const html = await (await t.browser().request("/legal/privacy")).text();
    expect(html).toContain("play_spotify_uid");
    expect(html).toContain("1 year");
    expect(html).toContain("play_oauth_nonce");
    expect(html).toContain("10 minutes");
    for (const scope of SPOTIFY_FAN_SCOPES) expect(html).toContain(scope);
  });
});
