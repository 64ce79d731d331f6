import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resolveTheme } from "../../src/web/pages/themes";
import { REPO_ROOT, startBackbeatServer, type BackbeatServer } from "./start-backbeat-server";

/**
 * Issue 3 end to end in a real Chromium against the real server (`tsx src/main.ts start`:
 * embedded PGlite in a temp dir, the dashboard built by Vite, Better Auth, and the Spotify,
 * Resend and Google emulators): sign-up → organization → artist from a Spotify URL → smart
 * link from a release URL → edit → publish → public page; an invited viewer; Google and
 * magic-link sign-in; the printed demo sign-in. One server for the whole file; the tests
 * run in order and (b) works in the organization (a) created.
 */

const SCREENSHOTS = join(REPO_ROOT, "test-results", "browser");
const DAFT_PUNK = "4tZwfgrHOc3mvqYlEYSvVi";
/** A release added to the emulator's catalog after the artist's import: pasting it creates a link. */
const NEW_SINGLE = { id: "0BackbeatE2eSingle0001", trackId: "0BackbeatE2eTrack00001", name: "Backbeat Test Single" };
const PASSWORD = "a long test password";

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
const ARTWORK_HOSTS = new Set(["i.scdn.co"]);
const PLACEHOLDER_ART = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#6d28d9"/></svg>`;

let server: BackbeatServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Every request to another host the pages tried (artwork excepted); must stay empty. */
const foreign: string[] = [];
/** Uncaught errors in any page. */
const pageErrors: string[] = [];

/** What (a) built, for (b). */
const admin = { email: `admin-${Date.now()}@example.com`, orgName: "Night Owl Records", orgId: "", artistId: "", linkPath: "" };

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [started, launched] = await Promise.all([
    startBackbeatServer(),
    chromium.launch({ executablePath: "/usr/bin/chromium", args: LAUNCH_ARGS }),
  ]);
  server = started;
  browser = launched;
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    if (server) {
      const exit = await server.stop(15_000);
      expect(exit, `server output:\n${server.output()}`).toMatchObject({ code: 0, signal: null });
    }
  }
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(foreign, "requests to other hosts").toEqual([]);
  expect(pageErrors, "uncaught page errors").toEqual([]);
  if (server) expect(server.errorLogLines(), "the server logged errors").toEqual([]);
});

/** A fresh browser profile (its own cookies): nothing leaves the machine but artwork, which is faked. */
async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "en-US" });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === server.baseUrl || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    if (ARTWORK_HOSTS.has(url.hostname) && route.request().resourceType() === "image") {
      return route.fulfill({ status: 200, contentType: "image/svg+xml", body: PLACEHOLDER_ART });
    }
    foreign.push(`${route.request().method()} ${url.href}`);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
}

/** Desktop, then a 360 px phone, then back. */
async function screenshotBoth(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()!;
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize({ width: 360, height: 780 });
  await screenshot(page, `${name}-360`);
  await page.setViewportSize(size);
}

async function signUp(page: Page, input: { name: string; email: string }): Promise<void> {
  await page.getByRole("heading", { name: "Create your account" }).waitFor();
  await page.getByLabel("Your name").fill(input.name);
  const email = page.getByLabel("E-mail", { exact: true });
  // From an invitation link the invited address is pre-filled and locked.
  if ((await email.getAttribute("readonly")) !== null) await expect(email.inputValue()).resolves.toBe(input.email);
  else await email.fill(input.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Opens the newest mail to `to` with `subject` in the Resend emulator's inbox and follows its link into the dashboard. */
async function openMailLink(page: Page, to: string, subject: RegExp, linkPath: RegExp): Promise<void> {
  await page.goto(`${server.baseUrl}/_emulator/resend/`);
  const row = page.getByRole("row").filter({ hasText: to }).filter({ hasText: subject }).first();
  await row.getByRole("link").click();
  await page.getByRole("heading", { name: subject }).waitFor();
  await page.getByRole("link", { name: linkPath }).first().click();
}

async function publicStatus(url: string): Promise<number> {
  return (await fetch(url)).status;
}

describe("the dashboard in Chromium against the real server", () => {
  it("(a) sign up → organization → artist from a Spotify URL → smart link from a release URL → edit → publish → public page", async () => {
    const page = await newPage();
    const response = await page.goto(server.dashboardUrl);
    expect(response?.status()).toBe(200);
    await page.waitForURL((url) => url.pathname === "/app/sign-in");
    await screenshotBoth(page, "01-sign-in");
    await page.getByRole("link", { name: "Create an account" }).click();
    await signUp(page, { name: "Ada Admin", email: admin.email });

    // Onboarding: a new organization and the artist from its Spotify URL.
    await page.getByRole("heading", { name: "Welcome to Backbeat" }).waitFor();
    await page.getByLabel(/A new organization/).check();
    await page.getByLabel("Organization name").fill(admin.orgName);
    await page.getByLabel("Spotify artist link").fill("https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M");
    await page.getByRole("button", { name: "Add artist and import catalog" }).click();
    await page.getByText("Paste the artist's Spotify link").waitFor();
    await screenshotBoth(page, "02-onboarding-error");
    await page.getByLabel("Spotify artist link").fill(`https://open.spotify.com/artist/${DAFT_PUNK}?si=abc`);
    await page.getByRole("button", { name: "Add artist and import catalog" }).click();
    await page.waitForURL((url) => /^\/app\/artists\/art_[0-9a-z]+$/.test(url.pathname));
    admin.artistId = new URL(page.url()).pathname.split("/")[3]!;
    await expect(page.getByLabel("Organization").inputValue()).resolves.toMatch(/^org_/);
    admin.orgId = await page.getByLabel("Organization").inputValue();
    await expect(page.getByLabel("Organization").locator("option:checked").innerText()).resolves.toBe(admin.orgName);
    await expect(page.getByLabel("Artist").locator("option:checked").innerText()).resolves.toBe("Daft Punk");

    // The catalog import (a job in the same process) fills the list.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole("heading", { name: "Smart links" }).waitFor();
          return page.getByTestId("smart-link").count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(2);
    await expect(page.getByRole("link", { name: "Discovery", exact: true }).isVisible()).resolves.toBe(true);
    await screenshotBoth(page, "03-smart-links");

    // A new release appears on Spotify; the manager pastes its URL.
    const added = await fetch(`${server.baseUrl}/_emulator/spotify/_control/releases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        id: NEW_SINGLE.id,
        name: NEW_SINGLE.name,
        albumType: "single",
        releaseDate: "2026-11-20",
        artists: [{ id: DAFT_PUNK, name: "Daft Punk" }],
        tracks: [{ id: NEW_SINGLE.trackId, name: NEW_SINGLE.name, durationMs: 200_000 }],
      }),
    });
    expect(added.status).toBe(201);
    const create = page.getByRole("form", { name: "Create a smart link" });
    await create.getByLabel("New smart link from a Spotify release link").fill("https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M");
    await create.getByRole("button", { name: "Create smart link" }).click();
    await create.getByText(/playlists cannot become smart links/).waitFor();
    await create.getByLabel("New smart link from a Spotify release link").fill(`https://open.spotify.com/album/${NEW_SINGLE.id}`);
    await create.getByRole("button", { name: "Create smart link" }).click();
    await page.waitForURL((url) => url.pathname.includes("/links/lnk_") && url.searchParams.has("created"));
    admin.linkPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { level: 1, name: NEW_SINGLE.name }).waitFor();
    await page.getByText("Smart link created and published").waitFor();
    const publicUrl = await page.locator("a[href*='/daft-punk/']").first().getAttribute("href");
    expect(publicUrl).toMatch(new RegExp(`^${server.baseUrl}/daft-punk/`));

    // Edit: add Apple Music, then break its URL: the API's error lands on that row.
    await page.getByLabel("Service", { exact: true }).selectOption("apple_music");
    await page.getByLabel("Link to the release on that service").fill("https://music.apple.com/us/album/backbeat-test-single/1");
    await page.getByRole("button", { name: "Add service" }).click();
    const appleRow = page.getByTestId("service-row").filter({ hasText: "Apple Music" });
    await appleRow.getByLabel("Apple Music link").fill("https://music.apple.com.evil.example/us/album/1");
    await page.getByRole("button", { name: "Save changes" }).click();
    await appleRow.getByText(/must be a link on Apple Music/).waitFor();
    await screenshotBoth(page, "04-editor-field-error");
    await appleRow.getByLabel("Apple Music link").fill("https://music.apple.com/us/album/backbeat-test-single/1");
    await page.getByRole("button", { name: "Move Apple Music up" }).click();
    await page.getByRole("radio", { name: "Aurora" }).check();
    await page.getByLabel("Description (optional)").fill("Out now, everywhere.");
    // The live preview renders the unsaved draft.
    await expect
      .poll(async () => (await page.frameLocator("iframe").locator("body").innerText().catch(() => "")).includes("Out now, everywhere."), { timeout: 10_000 })
      .toBe(true);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Changes saved.").waitFor();
    await screenshotBoth(page, "05-editor-saved");

    // Unpublish: the public page is gone; publish: it is back, with the edits.
    await page.getByRole("button", { name: "Unpublish" }).click();
    await page.getByText("Unpublished").first().waitFor();
    expect(await publicStatus(publicUrl!)).toBe(404);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Published: fans can open this link now.").waitFor();
    expect(await publicStatus(publicUrl!)).toBe(200);

    const fan = await newPage({ width: 390, height: 844 });
    expect((await fan.goto(publicUrl!))?.status()).toBe(200);
    await fan.getByRole("heading", { level: 1, name: NEW_SINGLE.name }).waitFor();
    await fan.getByText("Out now, everywhere.").waitFor();
    await expect(fan.locator('meta[name="theme-color"]').getAttribute("content")).resolves.toBe(resolveTheme("aurora").tokens.bg);
    // Services in the saved order, each through the tracked redirect `/go/<service>`.
    const services = await fan.locator("a.svc").evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname.split("/").pop()));
    expect(services).toEqual(["apple_music", "spotify"]);
    await screenshot(fan, "06-public-page-390");

    // The list shows it too, published.
    await page.getByRole("link", { name: "← Smart links" }).click();
    const card = page.getByTestId("smart-link").filter({ hasText: NEW_SINGLE.name });
    await expect(card.getByText("Published", { exact: true }).isVisible()).resolves.toBe(true);
  });

  it("(b) an admin invites a viewer by e-mail; the viewer signs up, accepts, sees the links and cannot edit", async () => {
    expect(admin.orgId, "needs the organization from (a)").not.toBe("");
    const viewerEmail = `viewer-${Date.now()}@example.com`;

    const page = await newPage();
    await page.goto(`${server.baseUrl}/app/sign-in`);
    await page.getByLabel("E-mail", { exact: true }).fill(admin.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "Smart links" }).waitFor();
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Team" }).click();
    await page.getByRole("heading", { name: "Invite someone" }).waitFor();
    await page.getByLabel("E-mail address").fill(viewerEmail);
    await page.getByLabel("Role", { exact: true }).last().selectOption("viewer");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("row").filter({ hasText: viewerEmail }).filter({ hasText: "pending" }).waitFor();
    await screenshotBoth(page, "07-team-invited");
    // At 360 px the team tables stack: nothing is cut off on the right.
    const desktop = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 780 });
    for (const wrap of await page.locator(".table-wrap").all()) {
      await expect(wrap.evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);
    }
    await page.setViewportSize(desktop);

    // The teammate opens the mail in the Resend emulator's inbox and follows the link.
    const viewer = await newPage();
    await openMailLink(viewer, viewerEmail, new RegExp(`invited you to ${admin.orgName}`), /\/app\/invitations\//);
    await viewer.waitForURL((url) => url.pathname === "/app/sign-in" && (url.searchParams.get("next") ?? "").startsWith("/invitations/"));
    await viewer.getByRole("link", { name: "Create an account" }).click();
    await expect(viewer.getByLabel("E-mail", { exact: true }).getAttribute("readonly")).resolves.not.toBeNull();
    await signUp(viewer, { name: "Vic Viewer", email: viewerEmail });
    await viewer.getByRole("heading", { name: "Invitation" }).waitFor();
    await viewer.getByText(`You're invited to join ${admin.orgName} as a viewer.`).waitFor();
    await screenshotBoth(viewer, "08-invitation");
    await viewer.getByRole("button", { name: `Accept and join ${admin.orgName}` }).click();

    // Lands on the organization's artist: sees the links, no create form, a note why.
    await viewer.waitForURL((url) => url.pathname === `/app/artists/${admin.artistId}`);
    await viewer.getByRole("link", { name: NEW_SINGLE.name, exact: true }).waitFor();
    await expect(viewer.getByTestId("viewer-note").isVisible()).resolves.toBe(true);
    await expect(viewer.getByRole("form", { name: "Create a smart link" }).count()).resolves.toBe(0);
    await screenshotBoth(viewer, "09-viewer-links");

    await viewer.goto(`${server.baseUrl}${admin.linkPath}`);
    await viewer.getByRole("heading", { level: 1, name: NEW_SINGLE.name }).waitFor();
    await expect(viewer.getByTestId("viewer-note").isVisible()).resolves.toBe(true);
    await expect(viewer.getByRole("button", { name: "Save changes" }).count()).resolves.toBe(0);
    await expect(viewer.getByRole("button", { name: /^(Unpublish|Publish)$/ }).count()).resolves.toBe(0);
    await expect(viewer.getByRole("radio", { name: "Classic" }).isDisabled()).resolves.toBe(true);
    await expect(viewer.getByLabel("Description (optional)").isDisabled()).resolves.toBe(true);
    await screenshot(viewer, "10-viewer-editor-desktop");

    // The API refuses the viewer's write even when sent by hand from the signed-in page.
    const linkId = admin.linkPath.split("/").pop()!;
    const write = await viewer.evaluate(async (id) => {
      const res = await fetch(`/api/v1/smart-links/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ published: false }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, linkId);
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe("FORBIDDEN");

    // The admin sees the new member with the viewer role.
    await page.reload();
    const memberRow = page.getByRole("row").filter({ hasText: viewerEmail });
    await memberRow.first().waitFor();
    await expect(memberRow.first().getByRole("combobox").inputValue()).resolves.toBe("viewer");
  });

  it("(c) signs in with Google through the emulator, and with a magic link from the inbox", async () => {
    const google = await newPage();
    await google.goto(`${server.baseUrl}/app/sign-in`);
    await google.getByRole("button", { name: "Continue with Google" }).click();
    await google.waitForURL((url) => url.pathname.startsWith("/_emulator/google/"));
    await google.getByRole("heading", { name: "Sign in with Google" }).waitFor();
    const googleEmail = `gina-${Date.now()}@gmail.com`;
    await google.getByLabel("Name").fill("Gina Google");
    await google.getByLabel("E-mail").fill(googleEmail);
    await google.getByRole("button", { name: "Agree" }).click();
    await google.waitForURL((url) => url.origin === server.baseUrl && url.pathname.startsWith("/app"));
    await google.getByRole("heading", { name: "Welcome to Backbeat" }).waitFor();
    await google.getByRole("link", { name: "Account" }).click();
    await expect(google.getByLabel("Name").inputValue()).resolves.toBe("Gina Google");
    await google.getByText(googleEmail, { exact: true }).waitFor();

    const magic = await newPage();
    await magic.goto(`${server.baseUrl}/app/sign-in`);
    await magic.getByLabel("E-mail for the link").fill(admin.email);
    await magic.getByRole("button", { name: "Send me a sign-in link" }).click();
    await magic.getByText("Check your inbox").waitFor();
    await screenshotBoth(magic, "11-magic-link-sent");
    await openMailLink(magic, admin.email, /sign-in link/, /\/auth\/magic-link\/verify/);
    await magic.waitForURL((url) => url.origin === server.baseUrl && url.pathname.startsWith("/app/artists/"));
    await magic.getByRole("heading", { name: "Smart links" }).waitFor();
    await expect(magic.getByLabel("Artist").locator("option:checked").innerText()).resolves.toBe("Daft Punk");
  });

  it("(d) the demo sign-in printed by start works and shows the demo artist's links", async () => {
    expect(server.output()).toContain(`Dashboard: ${server.baseUrl}/app\nDemo sign-in: `);
    const page = await newPage();
    await page.goto(server.dashboardUrl);
    await page.getByLabel("E-mail", { exact: true }).fill(server.demoSignIn.email);
    await page.getByLabel("Password", { exact: true }).fill(server.demoSignIn.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "Smart links" }).waitFor();
    await expect(page.getByLabel("Artist").locator("option:checked").innerText()).resolves.toBe("Pitbull");
    // Each printed demo link is in the list ("Open" goes to its public URL).
    for (const link of server.demoLinks) await page.locator(`a[href="${link}"]`).waitFor();
    await expect(page.getByTestId("smart-link").count()).resolves.toBe(server.demoLinks.length);
    // The demo artist is in the demo organization, so the demo user can create API keys.
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys" }).first().waitFor();
    await screenshotBoth(page, "12-demo-links");
  });
});
