import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT, startBackbeatServer, type BackbeatServer } from "./start-backbeat-server";

/**
 * The whole fan flow in a real Chromium against the real server (`tsx src/main.ts start`,
 * embedded PGlite in a temp dir, the Spotify emulator mounted under /_emulator/spotify):
 * landing page → Save on Spotify → the emulator's sign-in and consent pages → the result.
 */

const ALBUM_URI = "spotify:album:4aawyAB9vmqN3uQ7FjRGTy";
const UPCOMING_URI = "spotify:album:0BackbeatDemoUpcoming1";
const PITBULL = "0TnOYISbd1XYRBk9myaseg";
const SCREENSHOTS = join(REPO_ROOT, "test-results", "browser");
const YEAR_S = 365 * 24 * 60 * 60;

/** Artwork is the only thing a page may load from elsewhere; it is answered locally. */
const ARTWORK_HOSTS = new Set(["i.scdn.co"]);
const PLACEHOLDER_ART = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6d28d9"/><stop offset="1" stop-color="#f59e0b"/></linearGradient></defs>
<rect width="640" height="640" fill="url(#g)"/><text x="320" y="340" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">artwork (test)</text></svg>`;

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface FanSnapshot {
  id: string;
  displayName: string;
  product: string;
  libraryUris: string[];
  followedArtistIds: string[];
  playback: { contextUri: string | null } | null;
}

let server: BackbeatServer;
let browser: Browser;
let albumLink: string;
let presaveLink: string;

let context: BrowserContext;
let page: Page;
/** Every request the page made, in order (including those answered by `route`). */
let requests: Request[];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [started, launched] = await Promise.all([
    startBackbeatServer(),
    chromium.launch({ executablePath: "/usr/bin/chromium", args: LAUNCH_ARGS }),
  ]);
  server = started;
  browser = launched;
  expect(server.demoLinks).toHaveLength(3);
  for (const link of server.demoLinks) expect(link.startsWith(`${server.baseUrl}/`), link).toBe(true);

  // Pick the links by what a fan sees: the upcoming one offers a pre-save, the released
  // album (not the single) offers Save on Spotify.
  const pages = await Promise.all(server.demoLinks.map(async (url) => ({ url, html: await (await fetch(url)).text() })));
  presaveLink = onlyOne(pages.filter((p) => p.html.includes("Pre-save on Spotify")), "pre-save link").url;
  albumLink = onlyOne(
    pages.filter((p) => p.html.includes("Save on Spotify") && !p.html.includes("Pre-save on Spotify") && p.html.includes(`content="music.album"`)),
    "released album link",
  ).url;
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    if (server) {
      // Graceful shutdown: SIGTERM drains, flushes, closes the database, exits 0.
      const exit = await server.stop(15_000);
      expect(exit, `server output:\n${server.output()}`).toMatchObject({ code: 0, signal: null });
      expect(exit.ms).toBeLessThan(15_000);
    }
  }
});

beforeEach(async () => {
  context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  requests = [];
  // Nothing leaves the machine: local requests go through, artwork gets a placeholder,
  // anything else is aborted (and fails the test through `foreignRequests`).
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === server.baseUrl) return route.continue();
    if (ARTWORK_HOSTS.has(url.hostname) && route.request().resourceType() === "image") {
      return route.fulfill({ status: 200, contentType: "image/svg+xml", body: PLACEHOLDER_ART });
    }
    return route.abort("blockedbyclient");
  });
  page = await context.newPage();
  page.on("request", (request) => requests.push(request));
});

afterEach(async () => {
  await context?.close();
  if (server) expect(server.errorLogLines(), "the server logged errors").toEqual([]);
});

function onlyOne<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

/** Requests to any host but the server, other than artwork images. */
function foreignRequests(): string[] {
  return requests
    .filter((r) => {
      const url = new URL(r.url());
      if (url.protocol === "data:" || url.protocol === "blob:") return false;
      if (url.origin === server.baseUrl) return false;
      return !(ARTWORK_HOSTS.has(url.hostname) && r.resourceType() === "image");
    })
    .map((r) => `${r.method()} ${r.url()} (${r.resourceType()})`);
}

async function fans(): Promise<FanSnapshot[]> {
  const response = await fetch(`${server.baseUrl}/_emulator/spotify/_control/fans`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  return ((await response.json()) as { fans: FanSnapshot[] }).fans;
}

async function fanNamed(displayName: string): Promise<FanSnapshot> {
  return onlyOne((await fans()).filter((f) => f.displayName === displayName), `fan named ${displayName}`);
}

/** On the emulator's "Log in to Spotify" page: create a fan through the form. */
async function createFanOnAuthorizePage(displayName: string): Promise<void> {
  expect(new URL(page.url()).pathname).toBe("/_emulator/spotify/authorize");
  await expect(page.getByRole("heading", { name: "Log in to Spotify" }).isVisible()).resolves.toBe(true);
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create fan and continue" }) });
  await form.getByLabel("Display name").fill(displayName);
  await form.getByLabel("Country").fill("PT");
  await form.getByLabel("Product").selectOption("premium");
  await form.getByLabel("has an active device").check();
  await form.getByRole("button", { name: "Create fan and continue" }).click();
  await page.getByRole("heading", { name: "Allow this app to access your account?" }).waitFor();
  await expect(page.getByText(`Logged in as ${displayName}`).isVisible()).resolves.toBe(true);
}

async function bodyText(): Promise<string> {
  return page.locator("body").innerText();
}

describe("the fan flow in Chromium against the real server", () => {
  it("P06 P07 P08 fan saves a release in Chromium: landing page, Spotify sign-in and consent, saved + followed + playing, Play cookie", async () => {
    const displayName = `Ana Browser ${Date.now()}`;
    const landing = await page.goto(albumLink);
    expect(landing?.status()).toBe(200);
    await page.waitForLoadState("load");
    await expect(page.title()).resolves.toBe("Global Warming by Pitbull");
    await expect(page.getByRole("heading", { level: 1, name: "Global Warming" }).isVisible()).resolves.toBe(true);
    const save = page.getByRole("button", { name: "Save on Spotify", exact: true });
    await expect(save.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "01-landing-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, "02-landing-mobile.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(foreignRequests()).toEqual([]);

    await save.click();
    await page.waitForURL((url) => url.pathname === "/_emulator/spotify/authorize");
    const authorize = new URL(page.url());
    expect(authorize.origin).toBe(server.baseUrl);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${server.baseUrl}/oauth/spotify/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    await createFanOnAuthorizePage(displayName);
    await page.screenshot({ path: join(SCREENSHOTS, "03-consent.png"), fullPage: true });

    await page.getByRole("button", { name: "Agree", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/oauth/spotify/callback");
    await page.getByText("Saved to your library").waitFor();
    const result = await bodyText();
    expect(result).toContain("Saved to your library");
    expect(result).toContain("Following Pitbull");
    expect(result).toMatch(/Playing on \S/);
    await expect(page.getByRole("link", { name: "Open in Spotify" }).getAttribute("href")).resolves.toBe("https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy");
    await page.screenshot({ path: join(SCREENSHOTS, "04-result-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, "05-result-mobile.png"), fullPage: true });
    expect(foreignRequests()).toEqual([]);

    const fan = await fanNamed(displayName);
    expect(fan.product).toBe("premium");
    expect(fan.libraryUris).toContain(ALBUM_URI);
    expect(fan.followedArtistIds).toContain(PITBULL);
    expect(fan.playback?.contextUri).toBe(ALBUM_URI);

    const cookies = await context.cookies(server.baseUrl);
    const play = onlyOne(cookies.filter((c) => c.name === "play_spotify_uid"), "play_spotify_uid cookie");
    expect(play).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", domain: "127.0.0.1", secure: false });
    const nowS = Date.now() / 1000;
    expect(play.expires).toBeGreaterThan(nowS + YEAR_S - 300);
    expect(play.expires).toBeLessThanOrEqual(nowS + YEAR_S + 5);
    expect(decodeURIComponent(play.value).startsWith(`${fan.id}.`)).toBe(true);
    // The OAuth browser binding is gone once used.
    expect(cookies.map((c) => c.name)).not.toContain("play_oauth_nonce");

    // A returning fan is served at once: no second trip to Spotify.
    await page.goto(albumLink);
    await page.getByRole("button", { name: "Save on Spotify", exact: true }).click();
    await page.getByText("Saved to your library").waitFor();
    expect(new URL(page.url()).pathname).toBe(`${new URL(albumLink).pathname}/save`);
    // (Artwork from the emulator's image CDN, `/_emulator/spotify/image/…`, is not a trip to Spotify.)
    const spotifyTrips = requests.map((r) => new URL(r.url()).pathname).filter((p) => p.startsWith("/_emulator/spotify/") && !p.startsWith("/_emulator/spotify/image/"));
    expect(spotifyTrips).toEqual([
      "/_emulator/spotify/authorize",
      "/_emulator/spotify/authorize/fans",
      "/_emulator/spotify/authorize/decision",
    ]);
    expect(foreignRequests()).toEqual([]);
  });

  it("P07 Cancel on Spotify's consent screen: 'Nothing was saved', the fan's library stays empty, no Play cookie", async () => {
    const displayName = `Cancel Browser ${Date.now()}`;
    await page.goto(albumLink);
    await page.getByRole("button", { name: "Save on Spotify", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/_emulator/spotify/authorize");
    await createFanOnAuthorizePage(displayName);
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/oauth/spotify/callback");
    await page.getByText("Nothing was saved").waitFor();
    expect(await bodyText()).toContain("Nothing was saved");
    await page.screenshot({ path: join(SCREENSHOTS, "06-cancelled.png"), fullPage: true });

    const fan = await fanNamed(displayName);
    expect(fan.libraryUris).toEqual([]);
    expect(fan.followedArtistIds).toEqual([]);
    expect(fan.playback).toBeNull();
    expect((await context.cookies(server.baseUrl)).map((c) => c.name)).not.toContain("play_spotify_uid");
    expect(foreignRequests()).toEqual([]);
  });

  it("P08 pre-save in Chromium: the upcoming release offers 'Pre-save on Spotify' and after Agree shows 'Pre-saved'", async () => {
    const displayName = `Presave Browser ${Date.now()}`;
    expect((await page.goto(presaveLink))?.status()).toBe(200);
    const presave = page.getByRole("button", { name: "Pre-save on Spotify", exact: true });
    await expect(presave.isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Save on Spotify", exact: true }).count()).resolves.toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, "07-presave-landing.png"), fullPage: true });

    await presave.click();
    await page.waitForURL((url) => url.pathname === "/_emulator/spotify/authorize");
    await createFanOnAuthorizePage(displayName);
    await page.getByRole("button", { name: "Agree", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/oauth/spotify/callback");
    await page.getByText("Pre-saved", { exact: true }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "08-presave-result.png"), fullPage: true });

    // Not in the library before release day; delivery is the job's business (save-flow.test.ts).
    const fan = await fanNamed(displayName);
    expect(fan.libraryUris).not.toContain(UPCOMING_URI);
    expect((await context.cookies(server.baseUrl)).map((c) => c.name)).toContain("play_spotify_uid");
    expect(foreignRequests()).toEqual([]);
  });
});
