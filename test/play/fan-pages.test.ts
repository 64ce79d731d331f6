import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedDemo, updateSmartLink, type SmartLinkSummary } from "../../src/modules/play/index";
import { THEMES } from "../../src/web/pages/themes";
import { createTestApp, TEST_PUBLIC_URL, type TestApp } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

/**
 * What a fan sees on the demo workspace: artwork served by the Spotify emulator, the
 * demo pre-release filed under its artist, and message pages in the look of the release
 * page they came from.
 */

const PITBULL = "0TnOYISbd1XYRBk9myaseg";
const IMAGE_BASE = `${TEST_PUBLIC_URL}/_emulator/spotify/image/`;

let t: TestApp;
let demo: SmartLinkSummary[];

beforeEach(async () => {
  t = await createTestApp();
  demo = await seedDemo({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: {} });
});

afterEach(async () => {
  await t.close();
});

/** The demo links by the emulator album they are for. */
const DEMO_TITLES: Record<string, string> = {
  "4aawyAB9vmqN3uQ7FjRGTy": "Global Warming",
  "2xTimberSingle00000001": "Timber (feat. Ke$ha)",
  "0BackbeatDemoUpcoming1": "Countdown (Backbeat demo pre-release)",
};

function demoLink(spotifyAlbumId: string): { path: string; id: string; artistSlug: string } {
  const found = demo.find((l) => l.title === DEMO_TITLES[spotifyAlbumId]);
  if (!found) throw new Error(`no demo link for ${spotifyAlbumId}: ${JSON.stringify(demo)}`);
  return { path: `/${found.artistSlug}/${found.slug}`, id: found.id, artistSlug: found.artistSlug };
}

/** The theme a page was rendered in, from its stylesheet. */
function themeOf(html: string): string | undefined {
  return Object.values(THEMES).find((theme) => html.includes(`<style>${theme.css}</style>`))?.name;
}

describe("demo pages", () => {
  it("show the emulator's artwork, and the emulator serves it", async () => {
    const browser = t.browser();
    for (const albumId of ["4aawyAB9vmqN3uQ7FjRGTy", "2xTimberSingle00000001", "0BackbeatDemoUpcoming1"]) {
      const html = await (await browser.request(demoLink(albumId).path)).text();
      expect(html).toContain(`<img class="art" src="${IMAGE_BASE}${albumId}"`);
      expect(html).toContain(`<meta property="og:image" content="${IMAGE_BASE}${albumId}">`);
      const image = await browser.request(`${IMAGE_BASE}${albumId}`);
      expect(image.status).toBe(200);
      expect(image.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    }
    // The cinematic single also draws the blurred backdrop from the same URL.
    const single = await (await browser.request(demoLink("2xTimberSingle00000001").path)).text();
    expect(single).toContain(`<img class="backdrop" src="${IMAGE_BASE}2xTimberSingle00000001"`);

    const hub = await (await browser.request(`/${demo[0]!.artistSlug}`)).text();
    expect(hub).toContain(`<img class="avatar" src="${IMAGE_BASE}${PITBULL}"`);
  });

  it("files the demo pre-release under Pitbull, by Pitbull", async () => {
    expect(demo).toHaveLength(3);
    expect(new Set(demo.map((l) => l.artistSlug))).toEqual(new Set([demoLink("0BackbeatDemoUpcoming1").artistSlug]));
    const html = await (await t.browser().request(demoLink("0BackbeatDemoUpcoming1").path)).text();
    expect(html).toContain(`<p class="by">Pitbull</p>`);
    expect(html).toContain("Backbeat demo");
    expect(html).not.toContain("Demo Artist");
  });
});

describe("after Save on Spotify", () => {
  it("a pre-save says the release day as the landing page does", async () => {
    const { path } = demoLink("0BackbeatDemoUpcoming1");
    const browser = t.browser();
    const landing = await (await browser.request(path)).text();
    expect(landing).toContain("Out 13 December 2026");
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    const html = await (await browser.request(callbackUrl)).text();
    expect(html).toContain("Pre-saved: it will be in your library on 13 December 2026");
    expect(html).not.toContain("2026-12-13)");
    expect(themeOf(html)).toBe("brutalist");
  });

  it("Cancel on Spotify: the message page keeps the release page's theme and offers only what it says", async () => {
    const { path } = demoLink("2xTimberSingle00000001"); // cinematic
    const browser = t.browser();
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, { decision: "cancel" });
    const result = await browser.request(callbackUrl);
    expect(result.status).toBe(200);
    const html = await result.text();
    expect(html).toContain("Nothing was saved");
    expect(html).not.toContain("links below");
    expect(html).toContain("You can go back to the release page to listen.");
    expect(html).toContain(`<a class="btn btn-secondary" href="${path}">Go back</a>`);
    expect(themeOf(html)).toBe("cinematic");
    expect(html).toContain(`<meta name="color-scheme" content="dark">`);
  });

  it("a link unpublished during sign-in: its theme, and no way back to a page that is gone", async () => {
    const { path, id } = demoLink("4aawyAB9vmqN3uQ7FjRGTy"); // aurora
    const browser = t.browser();
    const redirect = await browser.request(`${path}/save`, { method: "POST" });
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!);
    await updateSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { linkId: id, published: false } });
    const html = await (await browser.request(callbackUrl)).text();
    expect(html).toContain("This link isn't available");
    expect(html).not.toContain("Go back");
    expect(themeOf(html)).toBe("aurora");
  });

  it("a cross-site save and the in-app browser help are in the link's theme, with a way back", async () => {
    const { path } = demoLink("0BackbeatDemoUpcoming1"); // brutalist
    const refused = await t.browser().request(`${path}/save`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(refused.status).toBe(403);
    const refusedHtml = await refused.text();
    expect(themeOf(refusedHtml)).toBe("brutalist");
    expect(refusedHtml).toContain(`href="${path}">Go back</a>`);

    const help = await t.browser().request(`${path}/open-in-browser`, { userAgent: "Mozilla/5.0 (iPhone) Instagram 300.0" });
    expect(help.status).toBe(200);
    expect(themeOf(await help.text())).toBe("brutalist");

    // A page for no link keeps the default look.
    const missing = await t.browser().request("/pitbull/nope/save", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(missing.status).toBe(403);
    expect(themeOf(await missing.text())).toBe("classic");
  });
});
