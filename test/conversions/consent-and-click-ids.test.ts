import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { consentRecords, conversionOutbox, engagementEvents } from "../../src/db/schema/index";
import { open } from "../../src/lib/seal";
import { clientPlace } from "../../src/modules/conversions/enqueue-conversions";
import { hasAdConsent, isProcessingRestricted, upsertConversionDestination } from "../../src/modules/conversions/index";
import { createSmartLink, erasePlayUser, exportPlayUser, updateSmartLink } from "../../src/modules/play/index";
import { createTestApp, TEST_PUBLIC_URL, type TestApp, type TestBrowser } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

const GLOBAL_WARMING = "4aawyAB9vmqN3uQ7FjRGTy";
const NOW = "2026-11-29T12:00:00.000Z";
const NOW_MS = Date.parse(NOW);

const GCLID = "Cj0KCQiA_abc-DEF123";
const GBRAID = "0AAAAA9x.yz_1";
const WBRAID = "CkkKCQiA-wbraid_2";
const FBCLID = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk";
const RDT_CID = "1234567890_abcdef";
const CLICK_QUERY = `gclid=${GCLID}&gbraid=${GBRAID}&wbraid=${WBRAID}&fbclid=${FBCLID}&rdt_cid=${RDT_CID}&utm_source=ig`;

/** Hosts a page with pixels may contact; none may appear without consent. */
const VENDOR_HOSTS = ["connect.facebook.net", "facebook.com", "googletagmanager.com", "doubleclick.net", "googleadservices.com", "analytics.tiktok.com", "redditstatic.com", "reddit.com"];

let t: TestApp;
let linkPath: string;
let linkId: string;

// Each test starts its own app (the consent mode differs); the first one pays for the
// migrated database template, so that happens here, under the hook timeout.
beforeAll(async () => {
  await (await createTestApp()).close();
});

afterEach(async () => {
  await t?.close();
});

async function start(env: Record<string, string> = {}, logLines?: string[]) {
  t = await createTestApp({ env, start: NOW, ...(logLines ? { logLines } : {}) });
  const ctx = t.runtime.ctxFor({ kind: "cli" });
  const created = await createSmartLink({ ctx, input: { spotifyUrl: `https://open.spotify.com/album/${GLOBAL_WARMING}` } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  linkPath = `/${created.artist.slug}/${created.link.slug}`;
  linkId = created.link.id;
  // Edited before the first request (landing data is cached per node for a few seconds).
  await updateSmartLink({
    ctx,
    input: {
      linkId,
      services: [{ service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: false }],
      pixels: { meta: "123456789012345", google: "AW-1234567890", tiktok: "CABC123DEF", reddit: "t2_abc123" },
    },
  });
}

/** `name → full Set-Cookie line` of a response. */
function setCookies(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf("=")), line]));
}

function cookieValue(line: string | undefined): string | undefined {
  return line ? decodeURIComponent(line.slice(line.indexOf("=") + 1, line.indexOf(";"))) : undefined;
}

/** The scripts of a page other than inert JSON-LD data. */
function executableScripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !tag.includes('type="application/ld+json"'));
}

function consentForm(fields: Record<string, string>): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() };
}

async function events() {
  await t.runtime.events.flush();
  return t.runtime.database.db.select().from(engagementEvents).orderBy(engagementEvents.id);
}

const ctx = () => t.runtime.ctxFor({ kind: "system" });

async function accept(browser: TestBrowser, extra: Record<string, string> = {}) {
  return browser.request("/legal/consent", consentForm({ choice: "accept", return: `${linkPath}?${CLICK_QUERY}`, ...extra }));
}

describe("consent mode opt-in (default)", () => {
  it("P10 before consent: banner with Accept / Decline, no click-id cookie, no pixel, zero third-party requests", async () => {
    await start();
    const browser = t.browser();
    const response = await browser.request(`${linkPath}?${CLICK_QUERY}`);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    const html = await response.text();
    // The banner: a labelled region after <main> (in the flow: it cannot cover Save), a plain form.
    expect(html).toMatch(/<\/main><section class="consent" aria-labelledby="consent-title">/);
    expect(html).toContain('<form method="post" action="/legal/consent">');
    expect(html).toContain('<button type="submit" name="choice" value="accept" class="btn btn-primary">Accept</button>');
    expect(html).toContain('value="decline"');
    // The click ids ride along so an Accept can still keep them.
    expect(html).toContain(`<input type="hidden" name="gclid" value="${GCLID}">`);
    expect(html).toContain(`<input type="hidden" name="fbclid" value="${FBCLID}">`);
    // Nothing third-party: no executable script, no vendor host, and a CSP that forbids scripts and connections.
    expect(executableScripts(html)).toEqual([]);
    for (const host of VENDOR_HOSTS) expect(html).not.toContain(host);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(html).not.toContain("data-eid");
    // The footer offers the settings everywhere.
    expect(html).toContain('<a href="/legal/consent">Cookie settings</a>');

    // A service click carries no click ids either.
    await browser.request(`${linkPath}/go/spotify`);
    const click = (await events()).find((e) => e.type === "SERVICE_CLICK")!;
    expect(click.detail).toEqual({ service: "spotify" });
    expect(await hasAdConsent({ ctx: ctx(), input: {} })).toBe(false);
  });

  it("P10 Accept (form POST, no JavaScript) records consent and stores each click id in its cookie with its Max-Age and format", async () => {
    await start();
    const browser = t.browser();
    const response = await accept(browser, { gclid: GCLID, gbraid: GBRAID, wbraid: WBRAID, fbclid: FBCLID, rdt_cid: RDT_CID });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${linkPath}?${CLICK_QUERY}`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const cookies = setCookies(response);
    expect(cookies.get("_gclid")).toBe(`_gclid=${GCLID}; Max-Age=7776000; Path=/; HttpOnly; SameSite=Lax`);
    expect(cookies.get("_gbraid")).toBe(`_gbraid=${GBRAID}; Max-Age=7776000; Path=/; HttpOnly; SameSite=Lax`);
    expect(cookies.get("_wbraid")).toBe(`_wbraid=${WBRAID}; Max-Age=7776000; Path=/; HttpOnly; SameSite=Lax`);
    // Meta's format fb.1.<Unix ms>.<fbclid>, readable by the Meta pixel (not HttpOnly), ≤ 7 days.
    expect(cookies.get("_fbc")).toBe(`_fbc=fb.1.${NOW_MS}.${FBCLID}; Max-Age=604800; Path=/; SameSite=Lax`);
    expect(cookies.get("_rdt_cid")).toBe(`_rdt_cid=${RDT_CID}; Max-Age=2419200; Path=/; HttpOnly; SameSite=Lax`);
    // A Meta click also gets Meta's browser id fb.1.<Unix ms>.<random>, ≤ 7 days, readable by the pixel.
    const fbp = cookieValue(cookies.get("_fbp"))!;
    expect(fbp).toMatch(new RegExp(`^fb\\.1\\.${NOW_MS}\\.\\d{10}$`));
    expect(cookies.get("_fbp")).toMatch(/; Max-Age=604800; Path=\/; SameSite=Lax$/);
    expect(cookies.get("bb_consent")).toBe("bb_consent=g.1; Max-Age=15552000; Path=/; HttpOnly; SameSite=Lax");
    const subject = cookieValue(cookies.get("bb_cid"))!;
    expect(subject).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const records = await t.runtime.database.db.select().from(consentRecords);
    expect(records).toEqual([
      { id: expect.stringMatching(/^cns_/), subject, playUserId: null, scope: "ads", granted: true, policyVersion: "1", mode: "opt-in", recordedAt: new Date(NOW) },
    ]);
    expect(await hasAdConsent({ ctx: ctx(), input: { consentSubject: subject } })).toBe(true);
    expect(await isProcessingRestricted({ ctx: ctx(), input: { consentSubject: subject } })).toBe(false);

    // Back on the landing: the pixels load, with exactly their hosts allowed.
    t.clock.advance(1000);
    const page = await browser.request(`${linkPath}?${CLICK_QUERY}`);
    const html = await page.text();
    expect(html).not.toContain('class="consent"');
    // The same fbclid keeps its first creation time; a valid _fbp is kept.
    expect(setCookies(page).has("_fbc")).toBe(false);
    expect(setCookies(page).has("_fbp")).toBe(false);
    const csp = page.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain("https://connect.facebook.net");
    expect(csp).toContain("https://www.googletagmanager.com");
    expect(csp).toContain("https://analytics.tiktok.com");
    expect(csp).toContain("https://www.redditstatic.com");
    expect(executableScripts(html).every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true);
    expect(html).toContain('src="https://connect.facebook.net/en_US/fbevents.js"');
    expect(html).toContain('src="https://www.googletagmanager.com/gtag/js?id=AW-1234567890"');

    // The service link carries a pre-generated event id; the server stores the click under it.
    // (It also carries the landing's click ids, like the Save form: see test/play/landing.test.ts.)
    const [, eid, es] = /href="[^"]+\/go\/spotify\?[^"]*theme=classic&amp;eid=(evt_[0-9a-z]{26})&amp;es=([A-Za-z0-9_-]{22})" data-eid="\1"/.exec(html)! as unknown as [string, string, string];
    const go = await browser.request(`${linkPath}/go/spotify?eid=${eid}&es=${es}`);
    expect(go.status).toBe(302);
    const click = (await events()).find((e) => e.type === "SERVICE_CLICK")!;
    expect(click.id).toBe(eid);
    expect(click.detail).toEqual({
      service: "spotify",
      clickIds: { gclid: GCLID, gbraid: GBRAID, wbraid: WBRAID, rdtCid: RDT_CID, fbc: `fb.1.${NOW_MS}.${FBCLID}`, fbp },
    });
  });

  it("P10 P11 a pre-generated eid is bound to its link and visitor: replayed by someone else, unsigned or on another link it is stored under a new id; the fan's event keeps its own request", async () => {
    await start({ CONSENT_MODE: "off", TRUST_PROXY: "true" });
    const artistId = (await t.runtime.database.db.query.smartLinks.findFirst({ where: (l, { eq: is }) => is(l.id, linkId) }))!.artistId;
    await upsertConversionDestination({ ctx: ctx(), input: { artistId, platform: "meta", accountId: "123456789012345", accessToken: "meta-capi-token-0123456789" } });
    const fanIp = { "x-forwarded-for": "203.0.113.10" };
    const fan = t.browser();
    const html = await (await fan.request(`${linkPath}?${CLICK_QUERY}`, { headers: fanIp })).text();
    const [, eid, es] = /href="[^"]+\/go\/spotify\?[^"]*theme=classic&amp;eid=(evt_[0-9a-z]{26})&amp;es=([A-Za-z0-9_-]{22})"/.exec(html)! as unknown as [string, string, string];
    expect((await fan.request(`${linkPath}/go/spotify?eid=${eid}&es=${es}`, { headers: fanIp })).status).toBe(302);
    // Someone else replays the fan's link (another address and browser): a new id.
    const other = t.browser();
    await other.request(`${linkPath}/go/spotify?eid=${eid}&es=${es}`, { headers: { "x-forwarded-for": "198.51.100.20" }, userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36" });
    // The id without its signature, or signed for another link: a new id. (Each tap after the
    // traffic gate's 30-minute dedupe window, so it counts as a click at all.)
    t.clock.advance(30 * 60_000);
    await fan.request(`${linkPath}/go/spotify?eid=${eid}`, { headers: fanIp });
    t.clock.advance(30 * 60_000);
    await fan.request(`${linkPath}/go/spotify?eid=${eid}&es=${"A".repeat(22)}`, { headers: fanIp });
    // The fan clicking again (same link, same visitor) is the same click: nothing new.
    t.clock.advance(30 * 60_000);
    await fan.request(`${linkPath}/go/spotify?eid=${eid}&es=${es}`, { headers: fanIp });
    const clicks = (await events()).filter((e) => e.type === "SERVICE_CLICK");
    expect(clicks).toHaveLength(4);
    expect(clicks.filter((c) => c.id === eid)).toHaveLength(1);
    // The fan's event has one outbox row, carrying the fan's own request (sealed), not the replayer's.
    const rows = await t.runtime.database.db.select().from(conversionOutbox).where(eq(conversionOutbox.eventId, eid));
    expect(rows).toHaveLength(1);
    const client = JSON.parse(open(t.config.keyRing, clientPlace(eid), rows[0]!.clientSealed!)) as { ip: string; ua: string };
    expect(client.ip).toBe("203.0.113.10");
    expect(client.ua).toContain("iPhone");
  });

  it("P10 a forged or stale event id on /go is not used; a new one is stored", async () => {
    await start({ CONSENT_MODE: "off" });
    const browser = t.browser();
    await browser.request(`${linkPath}/go/spotify?eid=evt_01aaaaaaaaaaaaaaaaaaaaaaaa`);
    // Outside the dedupe window: a repeated tap on one service inside it is not a new click.
    t.clock.advance(30 * 60_000);
    await browser.request(`${linkPath}/go/spotify?eid=<script>`);
    const clicks = (await events()).filter((e) => e.type === "SERVICE_CLICK");
    expect(clicks).toHaveLength(2);
    for (const click of clicks) expect(click.id).not.toBe("evt_01aaaaaaaaaaaaaaaaaaaaaaaa");
  });

  it("P10 Decline stores nothing but the choice: no click-id cookie, no pixels, no banner", async () => {
    await start();
    const browser = t.browser();
    const response = await browser.request("/legal/consent", consentForm({ choice: "decline", return: linkPath, gclid: GCLID }));
    expect(response.status).toBe(303);
    const cookies = setCookies(response);
    expect(cookies.get("bb_consent")).toMatch(/^bb_consent=d\.1;/);
    expect(cookies.get("_gclid")).toMatch(/^_gclid=; Max-Age=0;/);
    const [record] = await t.runtime.database.db.select().from(consentRecords);
    expect(record).toMatchObject({ granted: false, scope: "ads", mode: "opt-in", policyVersion: "1" });

    const page = await browser.request(`${linkPath}?${CLICK_QUERY}`);
    expect(page.headers.getSetCookie()).toEqual([]);
    const html = await page.text();
    expect(html).not.toContain('class="consent"');
    expect(executableScripts(html)).toEqual([]);
    for (const host of VENDOR_HOSTS) expect(html).not.toContain(host);
    expect(await hasAdConsent({ ctx: ctx(), input: { consentSubject: record!.subject } })).toBe(false);
  });

  it("P10 P12 withdrawing clears the click-id cookies on the next response and hasAdConsent turns false", async () => {
    await start();
    const browser = t.browser();
    await accept(browser, { gclid: GCLID, fbclid: FBCLID });
    const subject = (await t.runtime.database.db.select().from(consentRecords))[0]!.subject;
    expect(await hasAdConsent({ ctx: ctx(), input: { consentSubject: subject } })).toBe(true);

    const settings = await browser.request("/legal/consent");
    expect(await settings.text()).toContain('value="withdraw"');
    t.clock.advance(60_000);
    const withdraw = await browser.request("/legal/consent", consentForm({ choice: "withdraw", return: "/legal/consent?saved=1" }));
    expect(withdraw.status).toBe(303);
    const cookies = setCookies(withdraw);
    for (const name of ["_gclid", "_gbraid", "_wbraid", "_fbc", "_fbp", "_rdt_cid"]) expect(cookies.get(name)).toMatch(new RegExp(`^${name}=; Max-Age=0; Path=/`));
    expect(await hasAdConsent({ ctx: ctx(), input: { consentSubject: subject } })).toBe(false);
    expect(await isProcessingRestricted({ ctx: ctx(), input: { consentSubject: subject } })).toBe(true);
    // Append-only: both choices are kept, the latest wins.
    expect((await t.runtime.database.db.select().from(consentRecords)).map((r) => r.granted)).toEqual([true, false]);

    // A click-id cookie the browser still sends (e.g. kept by another tab) is cleared by the next page.
    const stale = await t.app.request(new URL(linkPath, TEST_PUBLIC_URL).toString(), { headers: { cookie: `bb_consent=d.1; bb_cid=${subject}; _gclid=${GCLID}` } });
    expect(setCookies(stale).get("_gclid")).toMatch(/^_gclid=; Max-Age=0;/);
    expect(await stale.text()).toContain('class="svc" href');
  });

  it("P10 invalid click ids are dropped, never stored, and counted in a log metric", async () => {
    const logLines: string[] = [];
    await start({ CONSENT_MODE: "off" }, logLines);
    const browser = t.browser();
    const page = await browser.request(`${linkPath}?gclid=${encodeURIComponent("<script>x")}&fbclid=${"a".repeat(600)}&rdt_cid=${RDT_CID}`);
    const cookies = setCookies(page);
    expect(cookies.has("_gclid")).toBe(false);
    expect(cookies.has("_fbc")).toBe(false);
    expect(cookieValue(cookies.get("_rdt_cid"))).toBe(RDT_CID);
    const metrics = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.metric === "click_id_rejected");
    expect(metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: "gclid", reason: "charset", count: 1, total: 1 }),
        expect.objectContaining({ source: "fbclid", reason: "length", count: 1, total: 1 }),
      ]),
    );
    expect(logLines.join("\n")).not.toContain("<script>x");
    // A tampered cookie is not forwarded on events either.
    await t.app.request(new URL(`${linkPath}/go/spotify`, TEST_PUBLIC_URL).toString(), {
      headers: { cookie: "_gclid=bad%20value; _fbc=fb.1.123.x", "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1" },
    });
    const click = (await events()).find((e) => e.type === "SERVICE_CLICK")!;
    expect(click.detail).toEqual({ service: "spotify" });
  });

  it("consent POST: cross-site refused (CSRF), a bad choice is 400, an off-site return path is ignored; nothing written", async () => {
    await start();
    const browser = t.browser();
    const crossSite = await browser.request("/legal/consent", { ...consentForm({ choice: "accept" }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.getSetCookie()).toEqual([]);
    const fetchSite = await t.app.request(new URL("/legal/consent", TEST_PUBLIC_URL).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
      body: "choice=accept",
    });
    expect(fetchSite.status).toBe(403);
    const bad = await browser.request("/legal/consent", consentForm({ choice: "maybe" }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("choice: must be accept, decline or withdraw");
    expect(await t.runtime.database.db.select().from(consentRecords)).toEqual([]);
    const offSite = await browser.request("/legal/consent", consentForm({ choice: "accept", return: "//evil.example/x" }));
    expect(offSite.headers.get("location")).toBe("/legal/consent?saved=1");
  });

  it("P12 the choice follows the fan through Spotify authorization: click ids on AUTH / SAVE_TRACK / FOLLOW_ARTIST, pixels fire the same ids, withdrawal stops delivery, export and erasure include consent", async () => {
    await start();
    const browser = t.browser();
    await accept(browser, { gclid: GCLID, fbclid: FBCLID, rdt_cid: RDT_CID });
    const page = await browser.request(`${linkPath}?${CLICK_QUERY}`);
    const action = /<form method="post" action="([^"]+)"/.exec(await page.text())![1]!.replaceAll("&amp;", "&");
    const redirect = await browser.request(action, { method: "POST" });
    const { callbackUrl } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, { fan: { displayName: "Ada", country: "PT", product: "premium" } });
    const result = await browser.request(callbackUrl);
    expect(result.status).toBe(200);
    const resultHtml = await result.text();

    const all = await events();
    const playUserId = all.find((e) => e.type === "AUTH")!.playUserId!;
    const fbp = (await browser.jar.getCookies(TEST_PUBLIC_URL)).find((c) => c.key === "_fbp")!.value;
    const clickIds = { gclid: GCLID, gbraid: GBRAID, wbraid: WBRAID, rdtCid: RDT_CID, fbc: `fb.1.${NOW_MS}.${FBCLID}`, fbp };
    for (const type of ["AUTH", "SAVE_TRACK", "FOLLOW_ARTIST"]) {
      const event = all.find((e) => e.type === type)!;
      expect(event.detail.clickIds, type).toEqual(clickIds);
    }
    // The result page's pixels fire the events the server recorded, with their ids.
    const save = all.find((e) => e.type === "SAVE_TRACK")!;
    const follow = all.find((e) => e.type === "FOLLOW_ARTIST")!;
    expect(resultHtml).toContain(`{"type":"SAVE_TRACK","eventId":"${save.id}"}`);
    expect(resultHtml).toContain(`{"type":"FOLLOW_ARTIST","eventId":"${follow.id}"}`);
    expect(result.headers.get("content-security-policy")).toContain("https://connect.facebook.net");

    // Linked to the fan: delivery can ask by Play user.
    expect(await hasAdConsent({ ctx: ctx(), input: { playUserId } })).toBe(true);
    const exported = await exportPlayUser({ ctx: ctx(), input: { spotifyUserId: (await t.runtime.database.db.query.playUsers.findFirst())!.spotifyUserId } });
    expect(exported!.consent).toEqual([
      { scope: "ads", granted: true, policyVersion: "1", mode: "opt-in", recordedAt: new Date(NOW) },
      { scope: "ads", granted: true, policyVersion: "1", mode: "opt-in", recordedAt: new Date(NOW) },
    ]);

    // Withdrawal from the footer link of this browser stops delivery for the fan.
    t.clock.advance(60_000);
    await browser.request("/legal/consent", consentForm({ choice: "withdraw" }));
    expect(await hasAdConsent({ ctx: ctx(), input: { playUserId } })).toBe(false);
    expect(await isProcessingRestricted({ ctx: ctx(), input: { playUserId } })).toBe(true);
    const withdrawRow = (await t.runtime.database.db.select().from(consentRecords)).at(-1)!;
    expect(withdrawRow).toMatchObject({ granted: false, playUserId });

    // Another fan's records are untouched by this fan's erasure.
    const other = t.browser();
    await accept(other);
    await erasePlayUser({ ctx: ctx(), input: { spotifyUserId: exported!.profile.spotifyUserId } });
    const left = await t.runtime.database.db.select().from(consentRecords);
    expect(left).toHaveLength(1);
    expect(left[0]!.playUserId).toBeNull();
    expect(await t.runtime.database.db.select().from(consentRecords).where(eq(consentRecords.playUserId, playUserId))).toEqual([]);
  });

  it("P10 a grant under an older policy version asks again and is not consent in opt-in", async () => {
    await start({ CONSENT_POLICY_VERSION: "2" });
    const response = await t.app.request(new URL(`${linkPath}?gclid=${GCLID}`, TEST_PUBLIC_URL).toString(), { headers: { cookie: "bb_consent=g.1" } });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain('class="consent"');
  });
});

describe("consent mode opt-out", () => {
  it("P10 click ids and pixels without a choice, the banner offers Decline; declining stops and clears them", async () => {
    await start({ CONSENT_MODE: "opt-out" });
    const browser = t.browser();
    const page = await browser.request(`${linkPath}?gclid=${GCLID}`);
    expect(cookieValue(setCookies(page).get("_gclid"))).toBe(GCLID);
    const html = await page.text();
    expect(html).toContain('class="consent"');
    expect(html).toContain("You can decline.");
    expect(html).toContain("https://connect.facebook.net/en_US/fbevents.js");
    expect(await hasAdConsent({ ctx: ctx(), input: {} })).toBe(true);

    const decline = await browser.request("/legal/consent", consentForm({ choice: "decline", return: linkPath }));
    expect(setCookies(decline).get("_gclid")).toMatch(/^_gclid=; Max-Age=0;/);
    const subject = (await t.runtime.database.db.select().from(consentRecords))[0]!.subject;
    expect(await hasAdConsent({ ctx: ctx(), input: { consentSubject: subject } })).toBe(false);
    const after = await browser.request(`${linkPath}?gclid=${GCLID}`);
    expect(after.headers.getSetCookie()).toEqual([]);
    expect(executableScripts(await after.text())).toEqual([]);
  });
});

describe("consent mode off", () => {
  it("P10 no banner; click-id cookies and pixels at once; the consent POST changes nothing; hasAdConsent is true", async () => {
    await start({ CONSENT_MODE: "off" });
    const browser = t.browser();
    const page = await browser.request(`${linkPath}?fbclid=${FBCLID}`);
    const cookies = setCookies(page);
    expect(cookieValue(cookies.get("_fbc"))).toBe(`fb.1.${NOW_MS}.${FBCLID}`);
    expect(cookieValue(cookies.get("_fbp"))).toMatch(/^fb\.1\.\d{13}\.\d{10}$/);
    const html = await page.text();
    expect(html).not.toContain('class="consent"');
    expect(html).toContain("fbevents.js");
    const post = await browser.request("/legal/consent", consentForm({ choice: "withdraw" }));
    expect(post.status).toBe(400);
    expect(await t.runtime.database.db.select().from(consentRecords)).toEqual([]);
    expect(await hasAdConsent({ ctx: ctx(), input: { consentSubject: "AAAAAAAAAAAAAAAAAAAAAA" } })).toBe(true);
  });

  it("P21 the privacy page describes the consent mode and lists the click-id cookies with their lifetimes", async () => {
    await start({ CONSENT_MODE: "opt-out" });
    const html = await (await t.app.request(new URL("/legal/privacy", TEST_PUBLIC_URL).toString())).text();
    expect(html).toContain("consent mode opt-out");
    for (const [name, life] of [["_gclid", "90 days"], ["_gbraid", "90 days"], ["_wbraid", "90 days"], ["_fbc", "7 days"], ["_fbp", "7 days"], ["_rdt_cid", "28 days"], ["bb_consent", "180 days"], ["bb_cid", "180 days"]]) {
      expect(html).toMatch(new RegExp(`<td>${name}</td><td>[^<]*</td><td>${life}</td>`));
    }
    expect(html).toContain('href="/legal/consent"');
    const deletion = await (await t.app.request(new URL("/data-deletion", TEST_PUBLIC_URL).toString())).text();
    expect(deletion).toContain('<a href="/legal/consent">withdraw your consent</a>');
  });
});
