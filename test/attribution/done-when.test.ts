import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { engagementEvents, fanRevocations, fanSyncStates, playUsers } from "../../src/db/schema/index";
import type { JobName } from "../../src/jobs/job-queue";
import { RELINKED_TRACK } from "../../src/providers/spotify/emulator/index";
import { newUser, type ApiCaller } from "../api/api-harness";
import { runDueJobs, triggerJob } from "../harness/run-due-jobs";
import { createTestApp, type TestApp, type TestBrowser } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

/*
 * Issue 4, "Done when", as one scripted scenario through the real app: fans save through a
 * smart link with UTM tags (landing → Save on Spotify → emulator consent → callback), the
 * artist enters spend per campaign, the emulator plays their tracks (repeats, local files,
 * plays of other releases, plays from before the fan came, a relinked track, a looped track),
 * one fan revokes (P16: confirmed after the delay, then deleted), one fan's consent expires,
 * one burst of machine traffic hits the landing and its service links. Jobs are triggered
 * through POST /internal/jobs and worked by the job handlers at the fake clock's time; the
 * numbers are read back through /api/v1 (what the dashboard shows). Every figure is exact.
 */

const SECRET = "test-job-secret-0123456789abcdef0123456789ab";
const PITBULL = "https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg";
const GLOBAL_WARMING = "4aawyAB9vmqN3uQ7FjRGTy";
/** Tracks of "Global Warming" in the emulator's seed catalog. */
const TRACK_A = "6OmhkSOpvYBokMKQxpIGx2";
const TRACK_B = "2iblMMIgSznA464mNov7A8";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const FACEBOOK_PREVIEW = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
/** In the shipped data-center list (AWS). */
const AWS_IP = "52.0.17.9";
const MIN = 60_000;
const D0 = "2026-11-29";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A browser behind the trusted proxy at its own address (each fan its own /24: no shared-network flags). */
function visitor(app: TestApp, ip: string, ua?: string) {
  const browser = app.browser();
  const xff = { "x-forwarded-for": `10.0.0.1, ${ip}` };
  const request = (path: string, init: RequestInit = {}) => browser.request(path, { ...init, headers: { ...xff, ...Object.fromEntries(new Headers(init.headers)) }, ...(ua ? { userAgent: ua } : {}) });
  return { browser, request };
}

/** Landing with a campaign query and a referrer; returns the page's own Save action and service links. */
async function land(v: ReturnType<typeof visitor>, path: string, query: string, referer: string) {
  const page = await v.request(`${path}${query}`, { headers: { referer } });
  expect(page.status).toBe(200);
  const html = await page.text();
  return {
    save: /<form method="post" action="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&"),
    go: (service: string) => new RegExp(`href="([^"]+/go/${service}[^"]*)"`).exec(html)![1]!.replaceAll("&amp;", "&"),
  };
}

/** Taps Save on the page, agrees in the emulator and comes back: AUTH, SAVE_TRACK, FOLLOW_ARTIST. */
async function save(app: TestApp, v: ReturnType<typeof visitor>, action: string, name: string): Promise<{ fanId: string; playUserId: string }> {
  const redirect = await v.request(action, { method: "POST" });
  expect(redirect.status).toBe(303);
  const { callbackUrl, fanId } = await driveSpotifyConsent(app, v.browser as TestBrowser, redirect.headers.get("location")!, { fan: { displayName: name, country: "PT", product: "premium" } });
  expect((await v.request(callbackUrl)).status).toBe(200);
  const spotifyUserId = app.runtime.spotifyEmulator!.control.getFan(fanId)!.id;
  const [user] = await app.runtime.database.db.select({ id: playUsers.id }).from(playUsers).where(eq(playUsers.spotifyUserId, spotifyUserId));
  return { fanId, playUserId: user!.id };
}



async function queued(app: TestApp, name: JobName): Promise<number> {
  const rows = await app.runtime.database.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${name} and state = 'created'`);
  return (rows.rows[0] as { n: number }).n;
}

async function api(caller: ApiCaller, method: string, path: string, body?: unknown) {
  const response = await caller.call(method, path, body);
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

describe("issue 4 — done when", () => {
  it(
    "P04 P08 P16 fans save through UTM-tagged links, plays become exact streams, costs per campaign, exclusions per reason and deletions, and /api/v1 reports them",
    { timeout: 300_000 },
    async () => {
      // ---- 184 days earlier: the artist sets up; one fan saves during a winter campaign ----
      t = await createTestApp({ start: "2026-05-29T12:00:00Z", env: { TRUST_PROXY: "true", FLAG_LOOP_STREAMS: "5", FLAG_LOOP_WINDOW_HOURS: "1" } });
      const app = t;
      const control = app.runtime.spotifyEmulator!.control;
      const db = app.runtime.database.db;
      const alice = await newUser(app, "Alice");
      const artistId = (await api(alice, "POST", "/artists", { spotifyUrl: PITBULL })).id as string;
      const linkId = (await api(alice, "POST", `/artists/${artistId}/smart-links`, { spotifyUrl: `https://open.spotify.com/album/${GLOBAL_WARMING}` })).id as string;
      await api(alice, "PATCH", `/smart-links/${linkId}`, {
        theme: "aurora",
        services: [
          { service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: false },
          { service: "apple_music", url: "https://music.apple.com/us/album/global-warming/1445890427", hidden: false },
        ],
      });
      // A long-running artist: streams count for 180 days after the fan's touchpoint.
      await api(alice, "PUT", `/artists/${artistId}/attribution-settings`, { attributionWindowDays: 180 });
      const link = (await api(alice, "GET", `/smart-links/${linkId}`)) as { slug: string; published: boolean };
      const artist = (await api(alice, "GET", `/artists/${artistId}`)) as { slug: string };
      expect(link.published).toBe(true);
      const path = `/${artist.slug}/${link.slug}`;

      const xv = visitor(app, "198.51.10.7");
      const x = await save(app, xv, (await land(xv, path, "?utm_source=ig&utm_campaign=winter", "https://l.instagram.com/")).save, "Xavier");
      // Two weeks later he taps Save again: his Play cookie and stored authorization act at
      // once (no new consent), so his consent stays 184 days old on launch day.
      app.clock.set("2026-06-12T12:00:00Z");
      expect((await xv.request((await land(xv, path, "?utm_source=ig&utm_campaign=winter", "https://l.instagram.com/")).save, { method: "POST" })).status).toBe(200);

      // ---- Launch day D0, 08:00 UTC: the spring campaign (Instagram), page theme "aurora" ----
      app.clock.set(`${D0}T08:00:00Z`);
      const spring = "?utm_source=ig&utm_medium=paid&utm_campaign=spring";
      const ig = "https://l.instagram.com/";
      const v1 = visitor(app, "203.0.113.11");
      const v1Page = await land(v1, path, spring, ig);
      await v1.request(v1Page.go("spotify")); // counted
      app.clock.advance(2 * MIN);
      await v1.request(v1Page.go("spotify")); // the same tap again inside 30 minutes: duplicate
      const v2 = visitor(app, "203.0.114.12");
      await land(v2, path, spring, ig);
      const f1v = visitor(app, "198.51.101.21");
      const f1 = await save(app, f1v, (await land(f1v, path, spring, ig)).save, "Fan One");
      const f3v = visitor(app, "198.51.103.23");
      const f3 = await save(app, f3v, (await land(f3v, path, spring, ig)).save, "Fan Three");
      app.clock.set(`${D0}T08:05:00Z`);
      const f2v = visitor(app, "198.51.102.22");
      const f2Page = await land(f2v, path, spring, ig);

      // ---- 08:15: the artist switches the page to "cinematic" (dashboard → API) ----
      app.clock.set(`${D0}T08:15:00Z`);
      await api(alice, "PATCH", `/smart-links/${linkId}`, { theme: "cinematic" });
      // Fan Two saves from the page she opened before the switch, Visitor One clicks Apple
      // Music on his: both saw "aurora", and that is what their events record.
      app.clock.set(`${D0}T08:16:00Z`);
      const f2 = await save(app, f2v, f2Page.save, "Fan Two");
      await v1.request(v1Page.go("apple_music")); // counted (another service)

      // ---- 08:20: the summer campaign (TikTok), on the "cinematic" page ----
      app.clock.set(`${D0}T08:20:00Z`);
      const summer = "?utm_source=tt&utm_campaign=summer";
      const tt = "https://www.tiktok.com/";
      const f4v = visitor(app, "198.51.104.24");
      const f4Page = await land(f4v, path, summer, tt);
      const f4 = await save(app, f4v, f4Page.save, "Fan Four");
      await f4v.request(f4Page.go("spotify")); // counted
      const f5v = visitor(app, "198.51.105.25");
      const f5 = await save(app, f5v, (await land(f5v, path, summer, tt)).save, "Fan Five");
      const v3 = visitor(app, "203.0.115.13");
      await land(v3, path, summer, tt);

      // ---- 08:40: one burst of machine traffic ----
      app.clock.set(`${D0}T08:40:00Z`);
      const bot = visitor(app, "66.249.66.1", GOOGLEBOT);
      for (let i = 0; i < 10; i++) await bot.request(path);
      for (let i = 0; i < 3; i++) await bot.request(`${path}/go/spotify`);
      const preview = visitor(app, "69.171.250.1", FACEBOOK_PREVIEW);
      for (let i = 0; i < 3; i++) await preview.request(`${path}${spring}`);
      const head = visitor(app, "203.0.116.14");
      for (let i = 0; i < 2; i++) await head.request(path, { method: "HEAD" });
      await head.request(`${path}/go/spotify`, { method: "HEAD" });
      await head.request(path, { headers: { "sec-purpose": "prefetch" } });
      const cloud = visitor(app, AWS_IP);
      for (let i = 0; i < 4; i++) await cloud.request(path);
      for (let i = 0; i < 2; i++) await cloud.request(`${path}/go/spotify`);
      // A scraper with a browser's User-Agent from a home address: its first request is a
      // visit; 29 more inside the window are duplicates; past 30 a minute, velocity.
      const scraper = visitor(app, "192.0.2.200");
      for (let i = 0; i < 35; i++) await scraper.request(path);

      // ---- The fans listen (Spotify's recently played, emulator) ----
      const at = (hhmm: string) => new Date(`${D0}T${hhmm}:00Z`);
      control.recordPlay(f1.fanId, TRACK_A, at("07:30")); // before the fan came through us: never read
      control.recordPlay(f1.fanId, TRACK_A, at("09:00"));
      control.recordPlay(f1.fanId, TRACK_A, at("09:05")); // a repeat: another stream
      control.recordPlay(f1.fanId, null, at("09:10"), { localName: "voice-memo.m4a" }); // local file: skipped
      control.recordPlay(f1.fanId, TRACK_B, at("09:15"));
      control.recordPlay(f2.fanId, TRACK_A, at("09:20"));
      control.recordPlay(f2.fanId, RELINKED_TRACK.requestedId, at("09:25"), { linkedFromId: RELINKED_TRACK.servedId }); // relinked: the release's own track
      control.recordPlay(f2.fanId, RELINKED_TRACK.requestedId, at("09:30")); // another release: skipped
      control.recordPlay(f3.fanId, TRACK_A, at("09:35")); // Fan Three revokes below: never counted
      for (const hhmm of ["10:00", "10:04", "10:08"]) control.recordPlay(f4.fanId, TRACK_B, at(hhmm));
      control.recordPlay(f4.fanId, null, at("10:12"), { localName: "bootleg.mp3" });
      // Fan Five loops one track: 6 plays in 25 minutes (FLAG_LOOP_STREAMS=5 per hour).
      for (const hhmm of ["10:30", "10:35", "10:40", "10:45", "10:50", "10:55"]) control.recordPlay(f5.fanId, TRACK_A, at(hhmm));
      control.recordPlay(x.fanId, TRACK_A, at("09:40")); // the expired fan is never polled
      app.clock.set(`${D0}T11:00:00Z`);
      control.revokeFan(f3.fanId);

      // ---- The artist enters spend per UTM campaign ----
      await api(alice, "PUT", `/artists/${artistId}/spend`, {
        entries: [
          { utmCampaign: "spring", dayFrom: D0, dayTo: D0, amountMinor: 12_000, currency: "EUR" },
          { utmCampaign: "summer", dayFrom: D0, dayTo: D0, amountMinor: 9_000, currency: "EUR" },
        ],
      });

      // ---- 12:00: fan sync (planned, then each fan's job at its offset within the hour) ----
      app.clock.set(`${D0}T12:00:00Z`);
      await trigger(app, "attribution.plan-fan-sync");
      expect(await work(app, "attribution.plan-fan-sync")).toEqual([{ fans: 6 }]);
      app.clock.set(`${D0}T13:00:00Z`);
      const outcomes = (await work(app, "attribution.sync-fan")) as Array<{ outcome: string; streams: number }>;
      expect(outcomes.map((o) => `${o.outcome}:${o.streams}`).sort()).toEqual(["expired:0", "revocation_suspected:0", "synced:2", "synced:3", "synced:3", "synced:6"]);
      // P16: one invalid_grant is not enough; the confirmation waits for the delay (60 min).
      expect(await db.select().from(playUsers).where(eq(playUsers.id, f3.playUserId))).toHaveLength(1);
      expect(await queued(app, "attribution.confirm-revocation")).toBe(1);
      expect(await work(app, "attribution.confirm-revocation")).toEqual([]);
      app.clock.set(`${D0}T14:00:00Z`);
      expect(await work(app, "attribution.confirm-revocation")).toEqual([{ outcome: "deleted" }]);
      // The next hour: the expired fan and the deleted fan are no longer planned.
      await trigger(app, "attribution.plan-fan-sync");
      expect(await work(app, "attribution.plan-fan-sync")).toEqual([{ fans: 4 }]);
      await trigger(app, "attribution.flag-fans");
      expect(await work(app, "attribution.flag-fans")).toEqual([{ flagged: { shared_device: 0, shared_ip_prefix: 0, rapid_unrelated_saves: 0, looped_track: 1 } }]);
      await app.runtime.events.flush();
      await trigger(app, "attribution.update-rollups");
      expect(await work(app, "attribution.update-rollups")).toEqual([expect.objectContaining({ remaining: 0 })]);

      // ---- Deletions (P16) and expiry ----
      expect(await db.select().from(playUsers).where(eq(playUsers.id, f3.playUserId))).toEqual([]);
      expect(await db.select().from(engagementEvents).where(eq(engagementEvents.playUserId, f3.playUserId))).toEqual([]);
      expect((await db.select().from(fanRevocations)).map((r) => [r.outcome, r.playUserId])).toEqual([["deleted", null]]);
      const [xState] = await db.select().from(fanSyncStates).where(eq(fanSyncStates.playUserId, x.playUserId));
      expect(xState!.status).toBe("expired");
      expect(await db.select().from(playUsers).where(eq(playUsers.id, x.playUserId))).toHaveLength(1);
      expect((await db.select().from(engagementEvents).where(eq(engagementEvents.type, "STREAM"))).length).toBe(14);

      // ---- What the dashboard shows: /api/v1 ----
      const report = (await api(alice, "GET", `/artists/${artistId}/analytics?from=${D0}&to=${D0}&breakdown=utm_campaign,theme`)) as {
        totals: Record<string, number>;
        serviceClicksByService: unknown;
        funnel: unknown;
        breakdowns: Record<string, Array<Record<string, unknown>>>;
        exclusions: unknown;
      };
      expect(report.totals).toEqual({
        visits: 9,
        uniqueVisitors: 9,
        serviceClicks: 3,
        presaves: 0,
        authorizations: 4,
        saves: 4,
        follows: 4,
        streams: 8,
        unsaves: 0,
        unfollows: 0,
        // The save flow also starts the release on the fan's active device (emulator: always).
        playbackStarted: 4,
        authFailures: 0,
      });
      expect(report.serviceClicksByService).toEqual([
        { service: "spotify", clicks: 2 },
        { service: "apple_music", clicks: 1 },
      ]);
      expect(report.funnel).toEqual([
        { step: "visits", count: 9, rateFromPrevious: null, rateFromVisits: null },
        { step: "authorizations", count: 4, rateFromPrevious: 0.4444, rateFromVisits: 0.4444 },
        { step: "saves", count: 4, rateFromPrevious: 1, rateFromVisits: 0.4444 },
        { step: "follows", count: 4, rateFromPrevious: 1, rateFromVisits: 0.4444 },
        { step: "streams", count: 8, rateFromPrevious: 2, rateFromVisits: 0.8889 },
      ]);
      const pick = (rows: Array<Record<string, unknown>>) =>
        Object.fromEntries(rows.map((r) => [r.value, [r.visits, r.serviceClicks, r.authorizations, r.saves, r.follows, r.streams]]));
      // [visits, service clicks, authorizations, saves, follows, streams]
      // Service clicks count for the campaign of the page they were tapped on (its links carry it).
      expect(pick(report.breakdowns.utm_campaign!)).toEqual({ spring: [5, 2, 2, 2, 2, 5], summer: [3, 1, 2, 2, 2, 3], "": [1, 0, 0, 0, 0, 0] });
      // The theme each visitor saw: Fan Two's save and Visitor One's Apple Music click came
      // after the switch from pages shown in "aurora".
      expect(pick(report.breakdowns.theme!)).toEqual({ aurora: [5, 2, 2, 2, 2, 5], cinematic: [4, 1, 2, 2, 2, 3] });
      expect(report.exclusions).toEqual({
        flagged: { events: 6, byReason: [{ reason: "looped_track", events: 6 }] },
        traffic: {
          rawRequests: 63,
          counted: 9,
          byReason: [
            { reason: "duplicate", requests: 29 },
            { reason: "bot", requests: 10 },
            { reason: "velocity_visitor", requests: 5 },
            { reason: "datacenter_ip", requests: 4 },
            { reason: "link_preview", requests: 3 },
            { reason: "head", requests: 2 },
            { reason: "prefetch", requests: 1 },
          ],
        },
        serviceClicks: {
          rawRequests: 10,
          counted: 3,
          byReason: [
            { reason: "bot", requests: 3 },
            { reason: "datacenter_ip", requests: 2 },
            { reason: "duplicate", requests: 1 },
            { reason: "head", requests: 1 },
          ],
        },
      });

      const valuation = (await api(alice, "GET", `/artists/${artistId}/valuation?from=${D0}&to=${D0}`)) as { byCampaign: Array<Record<string, unknown>>; totals: unknown };
      const campaign = (name: string) => valuation.byCampaign.find((c) => c.utmCampaign === name && c.currency === "EUR");
      expect(campaign("spring")).toEqual({ utmCampaign: "spring", currency: "EUR", spendMinor: 12_000, visits: 5, saves: 2, follows: 2, streams: 5, presaves: 0, fans: 2, costPerSave: 6000, costPerFollow: 6000, costPerStream: 2400, costPerFan: 6000 });
      expect(campaign("summer")).toEqual({ utmCampaign: "summer", currency: "EUR", spendMinor: 9_000, visits: 3, saves: 2, follows: 2, streams: 3, presaves: 0, fans: 2, costPerSave: 4500, costPerFollow: 4500, costPerStream: 3000, costPerFan: 4500 });
      expect(valuation.totals).toEqual([
        { currency: "EUR", spendMinor: 21_000, visits: 8, saves: 4, follows: 4, streams: 8, presaves: 0, fans: 4, costPerSave: 5250, costPerFollow: 5250, costPerStream: 2625, costPerFan: 5250 },
      ]);
      expect(valuation.byCampaign.map((c) => c.utmCampaign).sort()).toEqual(["spring", "summer"]);

      // The winter fan's save, 184 days ago, is where it happened (and its campaign never had spend).
      const winter = (await api(alice, "GET", `/artists/${artistId}/analytics?from=2026-05-29&to=2026-05-29&breakdown=utm_campaign`)) as { totals: Record<string, number> };
      expect(winter.totals).toMatchObject({ visits: 1, authorizations: 1, saves: 1, follows: 1, streams: 0 });
    },
  );
});

/** The scenario's job trigger (P04) and worker, on the fake clock. */
function trigger(app: TestApp, name: JobName, body?: Record<string, string>): Promise<void> {
  return triggerJob(app, SECRET, name, body);
}
const work = runDueJobs;
