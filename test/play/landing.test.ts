import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { artists, engagementEvents, smartLinks } from "../../src/db/schema/index";
import { newId } from "../../src/lib/ids";
import { hashVisitor } from "../../src/modules/attribution/hash-visitor";
import { createSmartLink, updateSmartLink, type SmartLink } from "../../src/modules/play/index";
import { createTestApp, TEST_PUBLIC_URL, type TestApp } from "../harness/create-test-runtime";

const GLOBAL_WARMING = "4aawyAB9vmqN3uQ7FjRGTy";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const CHROME_DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const INSTAGRAM_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 624283358)";
const INSTAGRAM_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.119 Mobile Safari/537.36 Instagram 321.0.0.39.106 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; shiba; en_US; 567067343)";
const FACEBOOK_PREVIEW = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

const APPLE_URL = "https://music.apple.com/us/album/global-warming/1445890427?app=music&ls=1";
const DEEZER_URL = "https://www.deezer.com/album/5836641";

let t: TestApp;
let link: SmartLink;
let artistId: string;
let artistSlug: string;
let linkPath: string;

const ctx = () => t.runtime.ctxFor({ kind: "cli" });
const db = () => t.runtime.database.db;

async function createLink(spotifyUrl: string, slug?: string) {
  const created = await createSmartLink({ ctx: ctx(), input: { spotifyUrl, ...(slug ? { artistSlug: slug } : {}) } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  return created;
}

beforeEach(async () => {
  t = await createTestApp();
  const created = await createLink(`https://open.spotify.com/album/${GLOBAL_WARMING}?si=x`);
  artistId = created.artist.id;
  artistSlug = created.artist.slug;
  linkPath = `/${created.artist.slug}/${created.link.slug}`;
  // Edits happen before the first request: landing data is cached per node for a few seconds.
  link = await updateSmartLink({
    ctx: ctx(),
    input: {
      linkId: created.link.id,
      services: [
        { service: "apple_music", url: APPLE_URL, hidden: false },
        { service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: false },
        { service: "deezer", url: DEEZER_URL, hidden: true },
      ],
    },
  });
});

afterEach(async () => {
  await t.close();
});

async function events() {
  await t.runtime.events.flush();
  return db().select().from(engagementEvents).orderBy(engagementEvents.id);
}

/** A request as it reaches the app from a socket: `c.env.incoming` carries the peer address. */
function fromSocket(path: string, init: { method?: string; headers?: Record<string, string>; ip?: string } = {}) {
  const env = { incoming: { socket: { remoteAddress: init.ip ?? "203.0.113.77" } } };
  return t.app.request(new URL(path, TEST_PUBLIC_URL).toString(), { method: init.method ?? "GET", headers: init.headers ?? {}, redirect: "manual" }, env);
}

function saveAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) throw new Error("no Save form on the page");
  return match[1]!;
}

describe("the landing page", () => {
  it("answers 200 with canonical, Open Graph and JSON-LD, under 30 KB, with every user-supplied text escaped", async () => {
    const description = `<script>alert(1)</script> "quoted" & 'single' </title><img src=x onerror=alert(2)>`;
    await updateSmartLink({ ctx: ctx(), input: { linkId: link.id, description } });

    const response = await t.browser().request(linkPath);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(30 * 1024);
    const html = new TextDecoder().decode(bytes);

    const canonical = `${TEST_PUBLIC_URL}${linkPath}`;
    expect(html).toContain(`<link rel="canonical" href="${canonical}">`);
    expect(html).toContain(`<meta property="og:url" content="${canonical}">`);
    expect(html).toContain(`<meta property="og:type" content="music.album">`);
    expect(html).toMatch(/<meta property="og:title" content="Global Warming by Pitbull">/);
    expect(html).toMatch(/<meta property="og:description" content="[^"]+">/);

    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).toBe(` type="application/ld+json"`);
    const jsonLd = JSON.parse(scripts[0]![2]!) as Record<string, unknown>;
    expect(jsonLd).toMatchObject({ "@context": "https://schema.org", "@type": "MusicAlbum", name: "Global Warming", url: canonical, description });

    // The description is shown, escaped, and never as markup.
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("</title><img");
    expect(html.match(/<title>/g)).toHaveLength(1);
  });

  it("escapes release and artist names that come from the catalog", async () => {
    const control = t.runtime.spotifyEmulator!.control;
    control.addRelease({
      id: "7xHostileRelease000001",
      name: `<img src=x onerror=alert(1)> "Title"`,
      releaseDate: "2020-01-01",
      artists: [{ id: "7xHostileArtist0000001", name: `</script><script>alert(2)</script>` }],
      tracks: [{ id: "7xHostileTrack00000001", name: "<b>track</b>" }],
    });
    const created = await createLink("spotify:album:7xHostileRelease000001");
    for (const path of [`/${created.artist.slug}/${created.link.slug}`, `/${created.artist.slug}`]) {
      const response = await t.browser().request(path);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).not.toContain("<img src=x");
      expect(html, path).not.toContain("<script>alert(2)");
      expect(html, path).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect([...html.matchAll(/<script/g)], path).toHaveLength(1);
    }
  });

  it("an unpublished link and unknown slugs get the 404 page and record nothing", async () => {
    const timber = await createLink("spotify:track:3cHyrEgdyYRjgJKSOiOtcS");
    await updateSmartLink({ ctx: ctx(), input: { linkId: timber.link.id, published: false } });
    const timberPath = `/${timber.artist.slug}/${timber.link.slug}`;
    const browser = t.browser();
    for (const path of [timberPath, `${timberPath}/go/spotify`, `${timberPath}/open-in-browser`, `/${artistSlug}/no-such-link`, "/no-such-artist", "/no-such-artist/global-warming"]) {
      const response = await browser.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html, path).toContain("Page not found");
      expect(html, path).not.toContain("Timber");
    }
    expect(await events()).toEqual([]);
  });

  it("the site root sends people to the dashboard (302 to /app)", async () => {
    const response = await t.browser().request("/");
    expect([response.status, response.headers.get("location")]).toEqual([302, "/app"]);
  });

  it("reserved first segments never reach the Play routes, even where an artist row has that slug", async () => {
    const now = t.clock.now();
    const insertArtistWithLink = async (slug: string) => {
      const id = newId("artist", now);
      await db().insert(artists).values({ id, slug, name: `Artist called ${slug}`, createdAt: now, updatedAt: now });
      await db().insert(smartLinks).values({
        id: newId("smartLink", now),
        artistId: id,
        slug: "x",
        spotifyAlbumId: GLOBAL_WARMING,
        releaseType: "album",
        title: `Release under ${slug}`,
        releaseArtists: [],
        services: [{ service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: false }],
        createdAt: now,
        updatedAt: now,
      });
    };
    for (const slug of ["api", "internal", "legal", "_emulator", "webhooks", "control"]) await insertArtistWithLink(slug);

    // Control: the same kind of row under an ordinary slug is served.
    const control = await t.browser().request("/control/x");
    expect(control.status).toBe(200);
    expect(await control.text()).toContain("Release under control");

    const browser = t.browser();
    for (const path of ["/api/x", "/api", "/internal/x", "/internal", "/legal", "/legal/x", "/_emulator", "/_emulator/x", "/webhooks/x", "/api/x/go/spotify"]) {
      const response = await browser.request(path);
      expect(response.status, path).toBe(404);
      const body = await response.text();
      expect(body, path).not.toContain("Artist called");
      expect(body, path).not.toContain("Release under");
    }
    const api = await browser.request("/api/x");
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    // Only the control page's view was recorded.
    expect((await events()).map((e) => e.context.path)).toEqual(["/control/x"]);
  });
});

describe("reserved names from the catalog", () => {
  it("an artist whose name is a reserved segment gets another slug, and its hub and links are served there", async () => {
    const control = t.runtime.spotifyEmulator!.control;
    control.addRelease({ id: "8xLegalRelease00000001", name: "Terms", releaseDate: "2021-01-01", artists: [{ id: "8xArtistNamedLegal0001", name: "Legal" }], tracks: [{ id: "8xLegalTrack0000000001", name: "Terms" }] });
    control.addRelease({ id: "8xApiRelease0000000001", name: "Endpoint", releaseDate: "2021-01-01", artists: [{ id: "8xArtistNamedApi000001", name: "API" }], tracks: [{ id: "8xApiTrack000000000001", name: "Endpoint" }] });
    for (const [albumId, name, title] of [["8xLegalRelease00000001", "Legal", "Terms"], ["8xApiRelease0000000001", "API", "Endpoint"]] as const) {
      const created = await createLink(`spotify:album:${albumId}`);
      expect(created.artist.name).toBe(name);
      expect(created.artist.slug).toMatch(new RegExp(`^${name.toLowerCase()}-\\d+$`));
      const hub = await t.browser().request(`/${created.artist.slug}`);
      expect(hub.status).toBe(200);
      expect(await hub.text()).toContain(`<h1>${name}</h1>`);
      const page = await t.browser().request(`/${created.artist.slug}/${created.link.slug}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<h1>${title}</h1>`);
    }
  });
});

describe("views (P11)", () => {
  it("P11 HEAD, link previews, bots and prefetches get the page but record no VIEW", async () => {
    const head = await fromSocket(linkPath, { method: "HEAD", headers: { "user-agent": SAFARI_IPHONE } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^text\/html/);

    const machine: Array<[string, Record<string, string>]> = [
      ["facebook link preview", { "user-agent": FACEBOOK_PREVIEW }],
      ["Googlebot", { "user-agent": GOOGLEBOT }],
      ["Chrome prefetch", { "user-agent": CHROME_DESKTOP, "sec-purpose": "prefetch" }],
      ["Chrome prerender", { "user-agent": CHROME_DESKTOP, "sec-purpose": "prefetch;prerender" }],
      ["no user agent", {}],
    ];
    for (const [name, headers] of machine) {
      const response = await fromSocket(linkPath, { headers });
      expect(response.status, name).toBe(200);
      expect(await response.text(), name).toContain("<h1>Global Warming</h1>");
    }
    expect(await events()).toEqual([]);

    // The hub follows the same rule.
    expect((await fromSocket(`/${artistSlug}`, { headers: { "user-agent": GOOGLEBOT } })).status).toBe(200);
    expect(await events()).toEqual([]);
  });

  it("P11 a browser's GET records exactly one VIEW with a salted visitor hash and no raw IP anywhere in the row", async () => {
    const ip = "203.0.113.77";
    const response = await fromSocket(`${linkPath}?utm_source=ig&gclid=abc123`, {
      ip,
      headers: { "user-agent": SAFARI_IPHONE, referer: "https://l.instagram.com/?u=x", "accept-language": "pt-PT,pt;q=0.9" },
    });
    expect(response.status).toBe(200);
    expect(t.runtime.events.pending).toBe(1);

    const recorded = await events();
    expect(recorded).toHaveLength(1);
    const view = recorded[0]!;
    expect(view).toMatchObject({ type: "VIEW", artistId, smartLinkId: link.id, playUserId: null });
    expect(view.occurredAt).toEqual(t.clock.now());
    expect(view.context).toMatchObject({ path: linkPath, utm: { source: "ig" }, clickIds: ["gclid"], referrerHost: "l.instagram.com", locale: "pt-PT" });
    // The hash is keyed on this IP (so the IP was seen), yet the IP itself is not kept.
    const expectedHash = hashVisitor({ secret: t.config.visitorHashSecret, day: "2026-11-29", ip, userAgent: SAFARI_IPHONE });
    expect(view.visitorHash).toBe(expectedHash);
    expect(view.visitorHash).not.toBe(hashVisitor({ secret: t.config.visitorHashSecret, day: "2026-11-29", ip: "", userAgent: SAFARI_IPHONE }));
    const rows = await db().execute(sql`select row_to_json(e)::text as json from engagement_events e`);
    const json = String((rows.rows[0] as { json: string }).json);
    expect(json).toContain(expectedHash);
    expect(json).not.toContain(ip);
    expect(json).not.toContain("203.0.113");
  });

  it("P11 behind a trusted proxy the forwarded client address is hashed, never stored", async () => {
    const proxied = await createTestApp({ env: { TRUST_PROXY: "true" } });
    try {
      const created = await createSmartLink({ ctx: proxied.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: `spotify:album:${GLOBAL_WARMING}` } });
      if (created.kind !== "smart_link") throw new Error("expected a smart link");
      const path = `/${created.artist.slug}/${created.link.slug}`;
      const clients = ["198.51.100.23", "2001:db8:85a3::8a2e:370:7334"];
      for (const client of clients) {
        // The proxy appends the address it saw; whatever the client claimed before it is ignored.
        const response = await proxied.app.request(new URL(path, TEST_PUBLIC_URL).toString(), { headers: { "user-agent": SAFARI_IPHONE, "x-forwarded-for": `203.0.113.99, ${client}` } });
        expect(response.status).toBe(200);
      }
      await proxied.runtime.events.flush();
      const rows = await proxied.runtime.database.db.select().from(engagementEvents).orderBy(engagementEvents.id);
      expect(rows.map((r) => r.visitorHash)).toEqual(
        clients.map((ip) => hashVisitor({ secret: proxied.config.visitorHashSecret, day: "2026-11-29", ip, userAgent: SAFARI_IPHONE })),
      );
      const dump = JSON.stringify((await proxied.runtime.database.db.execute(sql`select row_to_json(e)::text from engagement_events e`)).rows);
      for (const client of [...clients, "203.0.113.99"]) expect(dump).not.toContain(client);
      expect(dump).not.toContain("2001:db8");
    } finally {
      await proxied.close();
    }
  });
});

describe("tracked outbound clicks", () => {
  it("…/go/{service} records one SERVICE_CLICK and 302s to exactly the stored URL", async () => {
    const [stored] = await db().select().from(smartLinks).where(eq(smartLinks.id, link.id));
    const storedApple = stored!.services.find((s) => s.service === "apple_music")!.url;
    expect(storedApple).toBe(APPLE_URL);

    const browser = t.browser();
    const apple = await browser.request(`${linkPath}/go/apple_music?utm_source=newsletter`);
    expect(apple.status).toBe(302);
    expect(apple.headers.get("location")).toBe(storedApple);
    const spotify = await browser.request(`${linkPath}/go/spotify`);
    expect(spotify.status).toBe(302);
    expect(spotify.headers.get("location")).toBe(`https://open.spotify.com/album/${GLOBAL_WARMING}`);

    const clicks = await events();
    expect(clicks.map((e) => [e.type, e.detail])).toEqual([
      ["SERVICE_CLICK", { service: "apple_music" }],
      ["SERVICE_CLICK", { service: "spotify" }],
    ]);
    expect(clicks[0]).toMatchObject({ artistId, smartLinkId: link.id, context: { path: linkPath, utm: { source: "newsletter" } } });
    expect(clicks[0]!.visitorHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("P08 a service link on a landing from an ad keeps the landing's UTM, click ids and referrer; its own Referer is not the referrer", async () => {
    const browser = t.browser();
    const landingUrl = `${linkPath}?utm_source=facebook&utm_campaign=spring&fbclid=IwAR0abc`;
    const landing = await (await browser.request(landingUrl, { headers: { referer: "https://l.facebook.com/" } })).text();
    const href = /href="([^"]*\/go\/apple_music[^"]*)"/.exec(landing)![1]!.replaceAll("&amp;", "&");
    expect(href).toBe(`${linkPath}/go/apple_music?utm_source=facebook&utm_campaign=spring&fbclid=IwAR0abc&ref=l.facebook.com&theme=classic`);
    // The tap on the page sends the page itself as Referer.
    expect((await browser.request(href, { headers: { referer: `${TEST_PUBLIC_URL}${landingUrl}` } })).status).toBe(302);
    // A bare page (no query, no referrer) keeps plain service links, and its click has no referrer.
    const bare = await (await t.browser().request(linkPath, { userAgent: CHROME_DESKTOP })).text();
    expect(bare).toContain(`href="${linkPath}/go/spotify?theme=classic"`);
    await t.browser().request(`${linkPath}/go/spotify?theme=classic`, { userAgent: CHROME_DESKTOP, headers: { referer: `${TEST_PUBLIC_URL}${linkPath}` } });

    const clicks = (await events()).filter((e) => e.type === "SERVICE_CLICK");
    expect(clicks.map((c) => [c.detail.service, c.context.utm, c.context.clickIds, c.context.referrerHost])).toEqual([
      ["apple_music", { source: "facebook", campaign: "spring" }, ["fbclid"], "l.facebook.com"],
      ["spotify", {}, [], null],
    ]);
  });

  it("an unknown, unlisted or hidden service is a 404 with no event and no redirect", async () => {
    const browser = t.browser();
    for (const service of ["napster", "deezer", "tidal", "constructor", "__proto__", "APPLE_MUSIC"]) {
      const response = await browser.request(`${linkPath}/go/${service}`);
      expect(response.status, service).toBe(404);
      expect(response.headers.get("location"), service).toBeNull();
    }
    expect(await events()).toEqual([]);
  });
});

describe("in-app browsers", () => {
  it("Instagram's in-app browser sees the Open in your browser notice; Safari does not", async () => {
    const inApp = await (await t.browser().request(linkPath, { userAgent: INSTAGRAM_IOS })).text();
    expect(inApp).toContain("Open in your browser");
    // The page's own links carry the theme it shows (recorded with the events they lead to).
    expect(inApp).toContain(`href="${linkPath}/open-in-browser?theme=classic"`);
    const safari = await (await t.browser().request(linkPath, { userAgent: SAFARI_IPHONE })).text();
    expect(safari).not.toContain("Open in your browser");
    expect(safari).not.toContain("/open-in-browser");
  });

  it("…/open-in-browser records OPEN_IN_BROWSER; iOS gets instructions, Android an intent:// redirect", async () => {
    const ios = await t.browser().request(`${linkPath}/open-in-browser`, { userAgent: INSTAGRAM_IOS });
    expect(ios.status).toBe(200);
    const html = await ios.text();
    expect(html).toContain("Open in your browser");
    expect(html).toContain(`href="${linkPath}"`);

    const android = await t.browser().request(`${linkPath}/open-in-browser`, { userAgent: INSTAGRAM_ANDROID });
    expect(android.status).toBe(302);
    expect(android.headers.get("location")).toBe(`intent://127.0.0.1:3999${linkPath}#Intent;scheme=http;end`);

    const recorded = await events();
    expect(recorded.map((e) => [e.type, e.smartLinkId, e.detail])).toEqual([
      ["OPEN_IN_BROWSER", link.id, { inAppBrowser: "instagram" }],
      ["OPEN_IN_BROWSER", link.id, { inAppBrowser: "instagram" }],
    ]);
    expect(recorded.map((e) => e.context.deviceClass)).toEqual(["mobile", "mobile"]);
  });

  it("P08 leaving the in-app browser keeps the landing's UTM, click ids and referrer; previews record nothing", async () => {
    const query = "?utm_source=ig&utm_campaign=drop&fbclid=IwAR0abc";
    const landing = await (await t.browser().request(`${linkPath}${query}`, { userAgent: INSTAGRAM_ANDROID, headers: { referer: "https://l.instagram.com/" } })).text();
    const href = /href="([^"]*\/open-in-browser[^"]*)"/.exec(landing)![1]!.replaceAll("&amp;", "&");
    expect(href).toBe(`${linkPath}/open-in-browser?utm_source=ig&utm_campaign=drop&fbclid=IwAR0abc&ref=l.instagram.com&theme=classic`);

    const android = await t.browser().request(href, { userAgent: INSTAGRAM_ANDROID });
    expect(android.headers.get("location")).toBe(`intent://127.0.0.1:3999${linkPath}?utm_source=ig&utm_campaign=drop&fbclid=IwAR0abc&ref=l.instagram.com#Intent;scheme=http;end`);
    await t.browser().request(href, { userAgent: FACEBOOK_PREVIEW });

    const recorded = (await events()).filter((e) => e.type === "OPEN_IN_BROWSER");
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.context).toMatchObject({ utm: { source: "ig", campaign: "drop" }, clickIds: ["fbclid"], referrerHost: "l.instagram.com" });
  });
});

describe("artist hub, pre-save page and the Save form", () => {
  it("the artist hub lists the artist's published links only and records one VIEW", async () => {
    const timber = await createLink("spotify:track:3cHyrEgdyYRjgJKSOiOtcS");
    const hidden = await createLink("https://open.spotify.com/album/1xGlobalWarmingDEedtn0");
    await updateSmartLink({ ctx: ctx(), input: { linkId: hidden.link.id, published: false } });
    const other = await createLink("spotify:album:2noRn2Aes5aoNVsU6iWThc"); // Daft Punk

    const response = await t.browser().request(`/${artistSlug}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1>Pitbull</h1>");
    expect(html).toContain(`href="${linkPath}"`);
    expect(html).toContain(`href="/${artistSlug}/${timber.link.slug}"`);
    expect(html).not.toContain(hidden.link.slug);
    expect(html).not.toContain("DE Edition");
    expect(html).not.toContain(other.link.slug);
    expect(html).toContain(`<link rel="canonical" href="${TEST_PUBLIC_URL}/${artistSlug}">`);

    const views = await events();
    expect(views.map((e) => [e.type, e.artistId, e.smartLinkId, e.context.path])).toEqual([["VIEW", artistId, null, `/${artistSlug}`]]);
  });

  it("the upcoming demo release renders a pre-save page, and the release page once it is out", async () => {
    const upcoming = await createLink("spotify:album:0BackbeatDemoUpcoming1");
    expect(upcoming.link.releaseDate).toBe("2026-12-13");
    const path = `/${upcoming.artist.slug}/${upcoming.link.slug}`;
    const before = await (await t.browser().request(path)).text();
    expect(before).toContain("Pre-save on Spotify");
    expect(before).toContain(`<time datetime="2026-12-13">`);
    expect(before).toContain(`action="${path}/save?theme=classic"`);

    t.clock.set("2026-12-13T00:01:00Z");
    const after = await (await t.browser().request(path)).text();
    expect(after).not.toContain("Pre-save");
    expect(after).toContain("Save on Spotify");
  });

  it("the landing's UTM, click-id and referrer context is carried into the Save form's action, and only for that visitor", async () => {
    const hostile = `"><script>alert(1)</script>`;
    const query = new URLSearchParams({
      utm_source: "newsletter",
      utm_campaign: "drop day",
      utm_content: hostile,
      gclid: "Cj0KCQiA",
      fbclid: "IwAR2x",
      session: "not-carried",
    });
    const response = await t.browser().request(`${linkPath}?${query}`, { headers: { referer: "https://www.google.com/search?q=pitbull" } });
    const html = await response.text();
    expect(html).not.toContain("<script>alert(1)");
    const action = saveAction(html);
    expect(action.startsWith(`${linkPath}/save?`)).toBe(true);
    expect(action).not.toMatch(/&(?!amp;)/);
    const carried = new URL(action.replaceAll("&amp;", "&"), TEST_PUBLIC_URL).searchParams;
    expect(Object.fromEntries(carried)).toEqual({
      utm_source: "newsletter",
      utm_campaign: "drop day",
      utm_content: hostile,
      gclid: "Cj0KCQiA",
      fbclid: "IwAR2x",
      ref: "www.google.com",
      theme: "classic",
    });

    // The page is cached per node; the next visitor's form carries nothing of the first one's.
    const plain = await (await t.browser().request(linkPath)).text();
    expect(saveAction(plain)).toBe(`${linkPath}/save?theme=classic`);
  });
});
