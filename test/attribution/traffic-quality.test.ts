import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { engagementEvents, engagementFlags, playUsers } from "../../src/db/schema/index";
import { createDatacenterMatcher } from "../../src/modules/attribution/create-datacenter-matcher";
import { flagFans } from "../../src/modules/attribution/flag-fans";
import { refreshDatacenterRanges } from "../../src/modules/attribution/refresh-datacenter-ranges";
import { readAnalytics, updateRollups } from "../../src/modules/attribution/index";
import { createSmartLink, erasePlayUser, updateSmartLink } from "../../src/modules/play/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

const SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FACEBOOK_PREVIEW = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const JOB_SECRET = "test-job-secret-0123456789abcdef0123456789ab";
/** In the shipped list (AWS, us-east-1 block 52.0.0.0/15). */
const AWS_IP = "52.0.17.9";
const HOME_IP = "198.51.100.23";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setup(env: Record<string, string> = {}) {
  t = await createTestApp({ env: { TRUST_PROXY: "true", ...env } });
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy" } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  // Two services (before the first request: landing data is cached per node for a few seconds).
  const link = await updateSmartLink({
    ctx: t.runtime.ctxFor({ kind: "cli" }),
    input: {
      linkId: created.link.id,
      services: [
        { service: "spotify", url: "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy", hidden: false },
        { service: "apple_music", url: "https://music.apple.com/us/album/global-warming/1445890427", hidden: false },
      ],
    },
  });
  return { app: t, link, artist: created.artist, path: `/${created.artist.slug}/${created.link.slug}` };
}

function get(app: TestApp, path: string, opts: { ip?: string; ua?: string; method?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(opts.headers);
  if (opts.ua !== "") headers.set("user-agent", opts.ua ?? SAFARI);
  headers.set("x-forwarded-for", `10.0.0.1, ${opts.ip ?? HOME_IP}`);
  return app.app.request(`http://127.0.0.1:3999${path}`, { method: opts.method ?? "GET", headers });
}

async function counters(app: TestApp): Promise<Record<string, number>> {
  await app.runtime.events.flush();
  const result = await app.runtime.database.db.execute(sql`select reason, smart_link_id, requests::int as n from traffic_counters order by reason`);
  return Object.fromEntries((result.rows as Array<{ reason: string; smart_link_id: string; n: number }>).map((r) => [`${r.reason}${r.smart_link_id ? "" : "@hub"}`, r.n]));
}

async function views(app: TestApp): Promise<number> {
  await app.runtime.events.flush();
  const result = await app.runtime.database.db.execute(sql`select count(*)::int as n from engagement_events where type = 'VIEW'`);
  return (result.rows[0] as { n: number }).n;
}

describe("landing traffic quality", () => {
  it("counts every raw request once under its reason; only counted visits become VIEW events", async () => {
    const { app, path } = await setup();
    expect((await get(app, path, { method: "HEAD" })).status).toBe(200);
    await get(app, path, { headers: { "sec-purpose": "prefetch" } });
    await get(app, path, { ua: FACEBOOK_PREVIEW });
    await get(app, path, { ua: GOOGLEBOT });
    await get(app, path, { ua: "" });
    const dc = await get(app, path, { ip: AWS_IP });
    expect(dc.status).toBe(200);
    expect(await dc.text()).toContain("Save on Spotify");
    await get(app, path);
    await get(app, path);
    await get(app, path, { ip: "203.0.113.5" });
    expect(await counters(app)).toEqual({ bot: 2, counted: 2, datacenter_ip: 1, duplicate: 1, head: 1, link_preview: 1, prefetch: 1 });
    expect(await views(app)).toBe(2);
    // Aggregated: more repeats add to the same row, never a row per request.
    for (let i = 0; i < 5; i++) await get(app, path, { ua: GOOGLEBOT });
    const rows = await app.runtime.database.db.execute(sql`select count(*)::int as n from traffic_counters`);
    expect((rows.rows[0] as { n: number }).n).toBe(7);
    expect((await counters(app)).bot).toBe(7);
  });

  it("counters and dedupe are per landing and per artist: another artist's link is counted apart", async () => {
    const { app, path, artist } = await setup();
    const other = await createSmartLink({ ctx: app.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: "https://open.spotify.com/album/2noRn2Aes5aoNVsU6iWThc" } });
    if (other.kind !== "smart_link") throw new Error("expected a smart link");
    expect(other.artist.id).not.toBe(artist.id);
    await get(app, path);
    await get(app, `/${other.artist.slug}/${other.link.slug}`);
    await get(app, `/${other.artist.slug}/${other.link.slug}`);
    await app.runtime.events.flush();
    const rows = await app.runtime.database.db.execute(sql`select artist_id, smart_link_id, reason, requests::int as n from traffic_counters order by artist_id = ${artist.id} desc, reason`);
    expect(rows.rows).toEqual([
      { artist_id: artist.id, smart_link_id: expect.stringMatching(/^lnk_/), reason: "counted", n: 1 },
      { artist_id: other.artist.id, smart_link_id: other.link.id, reason: "counted", n: 1 },
      { artist_id: other.artist.id, smart_link_id: other.link.id, reason: "duplicate", n: 1 },
    ]);
  });

  it("the artist hub is counted under smart_link_id ''", async () => {
    const { app, artist } = await setup();
    await app.runtime.database.db.execute(sql`update artists set hub_published = true where id = ${artist.id}`);
    await get(app, `/${artist.slug}`);
    await get(app, `/${artist.slug}`);
    expect(await counters(app)).toEqual({ "counted@hub": 1, "duplicate@hub": 1 });
  });

  it("dedupe window: a repeat inside 30 minutes is a duplicate; at 30 minutes it counts again", async () => {
    const { app, path } = await setup();
    await get(app, path);
    app.clock.advance(30 * 60_000 - 1);
    await get(app, path);
    app.clock.advance(1);
    await get(app, path);
    // Another visitor (other IP) is never a duplicate of the first.
    await get(app, path, { ip: "203.0.113.77" });
    expect(await counters(app)).toEqual({ counted: 3, duplicate: 1 });
    expect(await views(app)).toBe(3);
  });

  it("VISIT_DEDUPE_MINUTES configures the window", async () => {
    const { app, path } = await setup({ VISIT_DEDUPE_MINUTES: "5" });
    await get(app, path);
    app.clock.advance(4 * 60_000);
    await get(app, path);
    app.clock.advance(60_000);
    await get(app, path);
    expect(await counters(app)).toEqual({ counted: 2, duplicate: 1 });
  });

  it("a data-center address behind TRUST_PROXY is excluded by the forwarded address, not the proxy's", async () => {
    const { app, path } = await setup();
    await get(app, path, { ip: AWS_IP });
    await get(app, path, { ip: `::ffff:${AWS_IP}` });
    expect(await counters(app)).toEqual({ datacenter_ip: 2 });
    expect(await views(app)).toBe(0);
  });

  it("velocity per visitor and per link: excess requests are counted, not written", async () => {
    const { app, path } = await setup({ VELOCITY_VISITOR_LIMIT: "3", VELOCITY_VISITOR_WINDOW_SECONDS: "60", VELOCITY_LINK_LIMIT: "2" });
    for (let i = 0; i < 5; i++) await get(app, path);
    expect(await counters(app)).toEqual({ counted: 1, duplicate: 2, velocity_visitor: 2 });
    // The sliding window empties: two windows later the visitor is welcome again.
    app.clock.advance(31 * 60_000);
    await get(app, path);
    await get(app, path, { ip: "203.0.113.1" });
    await get(app, path, { ip: "203.0.113.2" });
    const after = await counters(app);
    expect(after).toEqual({ counted: 3, duplicate: 2, velocity_visitor: 2, velocity_link: 1 });
    expect(await views(app)).toBe(3);
  });

  it("service clicks pass the same gate: machine traffic, data-center addresses, repeats per service inside the dedupe window; counted apart from visits", async () => {
    const { app, path, artist, link } = await setup();
    const go = (service: string, opts: Parameters<typeof get>[2] = {}) => get(app, `${path}/go/${service}`, opts);
    for (const response of [
      await go("spotify", { method: "HEAD" }),
      await go("spotify", { headers: { "sec-purpose": "prefetch" } }),
      await go("spotify", { ua: FACEBOOK_PREVIEW }),
      await go("spotify", { ua: GOOGLEBOT }),
      await go("spotify", { ip: AWS_IP }),
      await go("spotify"),
      await go("spotify"), // the same tap again: a duplicate
      await go("apple_music"), // another service: counted
    ]) {
      // Every request still goes where it asked to go.
      expect(response.status).toBe(302);
    }
    app.clock.advance(30 * 60_000);
    await go("spotify"); // the window has passed: counted again
    await app.runtime.events.flush();
    const rows = await app.runtime.database.db.execute(sql`select kind, reason, requests::int as n from traffic_counters order by kind, reason`);
    expect(rows.rows).toEqual([
      { kind: "service_click", reason: "bot", n: 1 },
      { kind: "service_click", reason: "counted", n: 3 },
      { kind: "service_click", reason: "datacenter_ip", n: 1 },
      { kind: "service_click", reason: "duplicate", n: 1 },
      { kind: "service_click", reason: "head", n: 1 },
      { kind: "service_click", reason: "link_preview", n: 1 },
      { kind: "service_click", reason: "prefetch", n: 1 },
    ]);
    const clicks = await app.runtime.database.db.select().from(engagementEvents).where(eq(engagementEvents.type, "SERVICE_CLICK"));
    expect(clicks.map((c) => c.detail.service).sort()).toEqual(["apple_music", "spotify", "spotify"]);
    expect(await views(app)).toBe(0);
    // A landing view after the clicks is not a duplicate of them (visits and clicks are apart).
    await get(app, path);
    expect(await views(app)).toBe(1);

    // The report counts only counted clicks; the rest are exclusions with their reason.
    const ctx = app.runtime.ctxFor({ kind: "system" });
    await updateRollups({ ctx, input: {} });
    const day = app.clock.now().toISOString().slice(0, 10);
    const report = await readAnalytics({ ctx, input: { artistId: artist.id, smartLinkId: link.id, from: "2026-11-29", to: day } });
    expect(report.totals.serviceClicks).toBe(3);
    expect(report.serviceClicksByService).toEqual([{ service: "spotify", clicks: 2 }, { service: "apple_music", clicks: 1 }]);
    expect(report.exclusions.serviceClicks).toEqual({
      rawRequests: 9,
      counted: 3,
      byReason: ["bot", "datacenter_ip", "duplicate", "head", "link_preview", "prefetch"].map((reason) => ({ reason, requests: 1 })),
    });
    expect(report.exclusions.traffic).toEqual({ rawRequests: 1, counted: 1, byReason: [] });
  });

  it("service-click velocity: one visitor's clicks share the visitor window with its views; another artist's link dedupes apart", async () => {
    const { app, path } = await setup({ VELOCITY_VISITOR_LIMIT: "3" });
    const other = await createSmartLink({ ctx: app.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: "https://open.spotify.com/album/2noRn2Aes5aoNVsU6iWThc" } });
    if (other.kind !== "smart_link") throw new Error("expected a smart link");
    await get(app, path);
    await get(app, `${path}/go/spotify`);
    await get(app, `/${other.artist.slug}/${other.link.slug}/go/spotify`);
    await get(app, `${path}/go/apple_music`); // the 4th request of this visitor within a minute
    await app.runtime.events.flush();
    const rows = await app.runtime.database.db.execute(sql`select artist_id = ${other.artist.id} as other, kind, reason, requests::int as n from traffic_counters order by 1, 2, 3`);
    expect(rows.rows).toEqual([
      { other: false, kind: "service_click", reason: "counted", n: 1 },
      { other: false, kind: "service_click", reason: "velocity_visitor", n: 1 },
      { other: false, kind: "visit", reason: "counted", n: 1 },
      { other: true, kind: "service_click", reason: "counted", n: 1 },
    ]);
  });

  it("the theme the visitor saw is recorded with the view and carried by the page's links to the click; a forged theme is not recorded", async () => {
    const { app, path, link } = await setup();
    const ctx = app.runtime.ctxFor({ kind: "cli" });
    await updateSmartLink({ ctx, input: { linkId: link.id, theme: "aurora" } });
    const page = await (await get(app, path)).text();
    const goHref = /href="([^"]+\/go\/spotify[^"]*)"/.exec(page)![1]!.replaceAll("&amp;", "&");
    expect(goHref).toBe(`${path}/go/spotify?theme=aurora`);
    // A forged or unknown theme on a link is never recorded: the link's current theme is.
    await get(app, `${path}/go/apple_music?theme=%3Cscript%3E`);
    await get(app, goHref);
    await app.runtime.events.flush();
    const events = await app.runtime.database.db.select().from(engagementEvents).orderBy(engagementEvents.type, engagementEvents.id);
    expect(events.map((e) => [e.type, e.detail.service ?? null, e.context.theme])).toEqual([
      ["SERVICE_CLICK", "apple_music", "aurora"],
      ["SERVICE_CLICK", "spotify", "aurora"],
      ["VIEW", null, "aurora"],
    ]);
  });

  it("P11 no raw IP is stored in any table after views, a save and its callback", async () => {
    const { app, path } = await setup();
    await get(app, path);
    await get(app, path, { ip: AWS_IP });
    await enroll(app, path, "Ana", HOME_IP, SAFARI);
    await flagFans({ ctx: app.runtime.ctxFor({ kind: "system" }), input: {} });
    await app.runtime.events.flush();
    const tables = await app.runtime.database.db.execute(sql`select table_schema, table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const rows = tables.rows as Array<{ table_name: string }>;
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["engagement_events", "traffic_counters", "engagement_flags", "oauth_states"]));
    let dump = "";
    for (const { table_name } of rows) {
      const content = await app.runtime.database.db.execute(sql.raw(`select coalesce(json_agg(t)::text, '') as j from "${table_name}" t`));
      dump += (content.rows[0] as { j: string }).j;
    }
    expect(dump).toContain("SAVE_TRACK");
    for (const needle of [HOME_IP, AWS_IP, "198.51.100.", "52.0.17."]) expect(dump).not.toContain(needle);
  });
});

/** Save through the landing with an X-Forwarded-For address and UA on every request, as a proxy would pass them. */
async function enroll(app: TestApp, path: string, name: string, ip: string, ua: string): Promise<string> {
  const browser = app.browser();
  const headers = { "x-forwarded-for": ip };
  const redirect = await browser.request(`${path}/save`, { method: "POST", headers, userAgent: ua });
  const { callbackUrl, fanId } = await driveSpotifyConsent(app, browser, redirect.headers.get("location")!, { fan: { displayName: name } });
  const done = await browser.request(callbackUrl, { headers, userAgent: ua });
  expect(done.status).toBe(200);
  const spotifyUserId = app.runtime.spotifyEmulator!.control.getFan(fanId)!.id;
  const rows = await app.runtime.database.db.select({ id: playUsers.id }).from(playUsers).where(eq(playUsers.spotifyUserId, spotifyUserId));
  return rows[0]!.id;
}

async function openFlags(app: TestApp) {
  return app.runtime.database.db.select().from(engagementFlags).orderBy(engagementFlags.reason, engagementFlags.playUserId);
}

describe("fan-level flags (attribution.flag-fans)", () => {
  it("one device and one IP prefix behind many accounts; idempotent; erasure removes the fan's flags", async () => {
    const { app, path } = await setup({ FLAG_SHARED_DEVICE_ACCOUNTS: "3", FLAG_SHARED_IP_PREFIX_ACCOUNTS: "4" });
    const a = await enroll(app, path, "A", "198.51.100.10", SAFARI);
    const b = await enroll(app, path, "B", "198.51.100.11", SAFARI);
    const c = await enroll(app, path, "C", "198.51.100.12", SAFARI);
    const d = await enroll(app, path, "D", "198.51.100.13", CHROME);
    const e = await enroll(app, path, "E", "192.0.2.1", SAFARI);
    const ctx = app.runtime.ctxFor({ kind: "system" });
    const first = await flagFans({ ctx, input: {} });
    expect(first.flagged).toEqual({ shared_device: 3, shared_ip_prefix: 4, rapid_unrelated_saves: 0, looped_track: 0 });
    const flags = await openFlags(app);
    expect(flags.filter((f) => f.reason === "shared_device").map((f) => f.playUserId).sort()).toEqual([a, b, c].sort());
    expect(flags.filter((f) => f.reason === "shared_ip_prefix").map((f) => f.playUserId).sort()).toEqual([a, b, c, d].sort());
    expect(flags.some((f) => f.playUserId === e)).toBe(false);
    const device = flags.find((f) => f.reason === "shared_device")!;
    expect(device.detail).toMatchObject({ message: "Authorized from a device used by 3 Spotify accounts.", accounts: 3 });
    expect(device.scopeFrom).toBeInstanceOf(Date);
    expect(device.flaggedAt.toISOString()).toBe("2026-11-29T12:00:00.000Z");

    // Re-run (also triggered through the job endpoint): nothing new.
    const again = await flagFans({ ctx, input: {} });
    expect(again.flagged).toEqual({ shared_device: 0, shared_ip_prefix: 0, rapid_unrelated_saves: 0, looped_track: 0 });
    expect(await openFlags(app)).toHaveLength(7);
    const trigger = await app.app.request("/internal/jobs/attribution.flag-fans", { method: "POST", headers: { authorization: `Bearer ${JOB_SECRET}` } });
    expect(trigger.status).toBe(202);
    const bad = await app.app.request("/internal/jobs/attribution.flag-fans", { method: "POST", headers: { authorization: `Bearer ${JOB_SECRET}` }, body: JSON.stringify({ playUserId: a }) });
    expect(bad.status).toBe(400);

    // A flag an operator cleared is not raised again.
    await app.runtime.database.db.update(engagementFlags).set({ clearedAt: app.clock.now() }).where(eq(engagementFlags.id, device.id));
    expect((await flagFans({ ctx, input: {} })).flagged.shared_device).toBe(0);

    // Events stay stored (append-only): flags only point at them.
    expect((await app.runtime.database.db.select().from(engagementEvents).where(eq(engagementEvents.playUserId, a))).length).toBeGreaterThan(0);

    const [user] = await app.runtime.database.db.select().from(playUsers).where(eq(playUsers.id, a));
    await erasePlayUser({ ctx, input: { spotifyUserId: user!.spotifyUserId } });
    const left = await openFlags(app);
    expect(left.some((f) => f.playUserId === a)).toBe(false);
    expect(left.filter((f) => f.playUserId === b)).toHaveLength(2);
  });

  it("rapid saves of unrelated releases and a looped track are flagged with their reasons", async () => {
    const { app, path, link } = await setup({ FLAG_RAPID_SAVES_COUNT: "4", FLAG_RAPID_SAVES_ARTISTS: "3", FLAG_RAPID_SAVES_MINUTES: "10", FLAG_LOOP_STREAMS: "5", FLAG_LOOP_WINDOW_HOURS: "2" });
    const saver = await enroll(app, path, "Saver", "203.0.113.40", SAFARI);
    const slow = await enroll(app, path, "Slow", "203.0.113.41", SAFARI);
    const looper = await enroll(app, path, "Looper", "203.0.113.42", SAFARI);
    const ctx = app.runtime.ctxFor({ kind: "system" });
    const context = { path, utm: {}, referrerHost: null, clickIds: [], country: null, deviceClass: "mobile" as const, inAppBrowser: null, locale: null };
    const base = app.clock.now().getTime();
    const saves = (fan: string, stepMs: number) =>
      [0, 1, 2, 3].map((i) => ({
        type: "SAVE_TRACK" as const,
        artistId: `art_other${i % 3}`,
        smartLinkId: `lnk_other${i}`,
        playUserId: fan,
        context,
        occurredAt: new Date(base + 60_000 + i * stepMs),
        detail: { uri: `spotify:album:x${i}` },
      }));
    // Saver: 4 releases (the enrollment's own + 4 others, 3+ artists) in 3 minutes; Slow: one an hour.
    await ctx.events.record(ctx.db, [...saves(saver, 60_000), ...saves(slow, 3_600_000)]);
    const stream = (fan: string, track: string, atMs: number) => ({
      type: "STREAM" as const,
      artistId: link.artistId,
      smartLinkId: link.id,
      playUserId: fan,
      context,
      occurredAt: new Date(atMs),
      detail: { trackId: track },
    });
    // Looper: 5 plays of one track in 20 minutes; Slow: 5 plays spread over 10 hours (no loop).
    await ctx.events.record(ctx.db, [
      ...[0, 1, 2, 3, 4].map((i) => stream(looper, "trk1", base + 600_000 + i * 240_000)),
      ...[0, 1, 2, 3, 4].map((i) => stream(slow, "trk2", base + i * 7_200_000 + 1000)),
    ]);
    app.clock.advance(12 * 3_600_000);
    const result = await flagFans({ ctx, input: {} });
    expect(result.flagged).toEqual({ shared_device: 0, shared_ip_prefix: 0, rapid_unrelated_saves: 1, looped_track: 1 });
    const flags = await openFlags(app);
    const rapid = flags.find((f) => f.reason === "rapid_unrelated_saves")!;
    expect(rapid.playUserId).toBe(saver);
    expect(rapid.detail).toMatchObject({ releases: 5, artists: 4, windowMinutes: 10 });
    expect(String(rapid.detail.message)).toMatch(/^Saved 5 different releases by 4 artists within 10 minutes\.$/);
    const loop = flags.find((f) => f.reason === "looped_track")!;
    expect(loop.playUserId).toBe(looper);
    expect(loop.detail).toMatchObject({ trackId: "trk1", streams: 5, windowHours: 2, message: "Played one track 5 times within 2 hours." });
    expect(loop.scopeFrom!.getTime()).toBe(base + 600_000);
    expect(flags.some((f) => f.playUserId === slow)).toBe(false);
    expect((await flagFans({ ctx, input: {} })).flagged).toEqual({ shared_device: 0, shared_ip_prefix: 0, rapid_unrelated_saves: 0, looped_track: 0 });
  });
});

describe("data-center ranges", () => {
  it("matches IPv4, IPv6 and IPv4-mapped addresses; skips malformed CIDRs", () => {
    const m = createDatacenterMatcher([
      { cidr: "3.5.140.0/22", provider: "aws" },
      { cidr: "3.5.142.0/23", provider: "aws" },
      { cidr: "2600:1f14::/35", provider: "aws" },
      { cidr: "34.80.0.0/15", provider: "gcp" },
      { cidr: "not-a-cidr", provider: "x" },
    ]);
    expect(m.skipped).toBe(1);
    expect(m.match("3.5.140.0")).toBe("aws");
    expect(m.match("3.5.143.255")).toBe("aws");
    expect(m.match("3.5.144.0")).toBeNull();
    expect(m.match("::ffff:34.81.2.3")).toBe("gcp");
    expect(m.match("2600:1f14:1fff:ffff::1")).toBe("aws");
    expect(m.match("2600:1f14:2000::1")).toBeNull();
    expect(m.match("garbage")).toBeNull();
    expect(m.match("")).toBeNull();
  });

  it("the shipped list is dated, cites its sources and loads", () => {
    const file = JSON.parse(readFileSync(new URL("../../data/datacenter-ranges.json", import.meta.url), "utf8")) as { generatedAt: string; sources: Array<{ url: string; provider: string; license?: string; count: number }>; ranges: Array<{ cidr: string; provider: string }> };
    expect(file.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(file.sources[0]!.url).toMatch(/^https:\/\//);
    const m = createDatacenterMatcher(file.ranges);
    expect(m.skipped).toBe(0);
    expect(m.match(AWS_IP)).toBe("aws");
    // The MIT-licensed X4BNet subset: DigitalOcean, Hetzner, OVH, Azure, Google Cloud blocks.
    const x4b = file.sources.find((s) => s.provider === "x4bnet")!;
    expect(x4b.license).toMatch(/^MIT/);
    expect(x4b.count).toBe(582);
    for (const ip of ["104.131.1.1", "88.99.1.1", "51.38.1.1", "20.40.1.1"]) expect(m.match(ip), ip).toBe("x4bnet");
    expect(m.match("34.200.1.1")).toBe("aws"); // inside both: the aws label wins (labels are informational)
    // Home networks are not data centers, nor is the consumer ISP space left out on purpose (NTT OCN).
    for (const ip of [HOME_IP, "153.150.1.1", "81.84.10.10"]) expect(m.match(ip), ip).toBeNull();
  });

  it("refresh-datacenter-ranges fetches every source format from a (local fake) server; a failing source keeps the old file", async () => {
    const bodies: Record<string, { type: string; body: string; status?: number }> = {
      "/aws.json": {
        type: "application/json",
        body: JSON.stringify({
          createDate: "2026-11-28-20-13-05",
          prefixes: [
            { ip_prefix: "3.5.140.0/22", region: "ap-northeast-2", service: "EC2" },
            { ip_prefix: "13.32.0.0/15", region: "GLOBAL", service: "CLOUDFRONT" },
          ],
          ipv6_prefixes: [{ ipv6_prefix: "2600:1f14::/35", region: "us-west-2", service: "EC2" }],
        }),
      },
      "/cloud.json": { type: "application/json", body: JSON.stringify({ creationTime: "2026-11-28T10:00:00", prefixes: [{ ipv4Prefix: "34.80.0.0/15", scope: "asia-east1" }, { ipv6Prefix: "2600:1900::/35" }] }) },
      "/oracle.json": { type: "application/json", body: JSON.stringify({ last_updated_timestamp: "2026-11-27T00:00:00", regions: [{ region: "eu-frankfurt-1", cidrs: [{ cidr: "130.61.0.0/16", tags: ["OCI"] }] }] }) },
      "/do.csv": { type: "text/csv", body: "# geofeed\n104.131.0.0/18,US,US-NY,New York,10014\n2604:a880::/48,US,US-NY,New York,10014\n" },
      // One CIDR a line; a prefix inside the excluded consumer ISP space (153.128.0.0/10) is dropped.
      "/x4b.txt": { type: "text/plain", body: "# datacenters\n88.99.0.0/16\n153.150.0.0/16\n\n65.21.0.0/16\n" },
      "/broken.json": { type: "application/json", body: "oops", status: 500 },
    };
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(req.url ?? "");
      const b = bodies[req.url ?? ""];
      res.writeHead(b?.status ?? (b ? 200 : 404), { "content-type": b?.type ?? "text/plain" });
      res.end(b?.body ?? "");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const dir = mkdtempSync(join(tmpdir(), "bb-ranges-"));
      const file = join(dir, "datacenter-ranges.json");
      const sources = [
        { provider: "aws", url: `${base}/aws.json`, format: "aws" as const },
        { provider: "gcp", url: `${base}/cloud.json`, format: "gcp" as const },
        { provider: "oracle", url: `${base}/oracle.json`, format: "oracle" as const },
        { provider: "digitalocean", url: `${base}/do.csv`, format: "geofeed" as const },
        { provider: "x4bnet", url: `${base}/x4b.txt`, format: "plain" as const },
      ];
      const now = new Date("2026-11-29T12:00:00Z");
      const result = await refreshDatacenterRanges({ input: { file, now, sources } });
      expect(result.total).toBe(9);
      const written = JSON.parse(readFileSync(file, "utf8")) as { generatedAt: string; sources: Array<{ provider: string; published: string | null; count: number }>; ranges: Array<{ cidr: string; provider: string }> };
      expect(written.generatedAt).toBe(now.toISOString());
      expect(written.sources.map((s) => [s.provider, s.published, s.count])).toEqual([
        ["aws", "2026-11-28-20-13-05", 2],
        ["gcp", "2026-11-28T10:00:00", 2],
        ["oracle", "2026-11-27T00:00:00", 1],
        ["digitalocean", null, 2],
        ["x4bnet", null, 2],
      ]);
      expect(written.ranges.map((r) => r.cidr)).not.toContain("153.150.0.0/16");
      // CloudFront edges are not where bots run: only EC2 is kept.
      expect(written.ranges.map((r) => r.cidr)).not.toContain("13.32.0.0/15");
      const m = createDatacenterMatcher(written.ranges);
      expect([m.match("3.5.141.1"), m.match("130.61.9.9"), m.match("104.131.1.1"), m.match("2600:1900::1"), m.match("65.21.3.4"), m.match("153.150.1.1")]).toEqual(["aws", "oracle", "digitalocean", "gcp", "x4bnet", null]);

      writeFileSync(file, readFileSync(file));
      const before = readFileSync(file, "utf8");
      await expect(refreshDatacenterRanges({ input: { file, now, sources: [...sources, { provider: "broken", url: `${base}/broken.json`, format: "aws" }] } })).rejects.toMatchObject({ code: "UNAVAILABLE" });
      expect(readFileSync(file, "utf8")).toBe(before);
      expect(seen).toContain("/broken.json");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
