import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { analyticsDaily, analyticsDailyBreakdowns, artists, engagementEvents, engagementFlags, playUsers, smartLinks, type LandingContext } from "../../src/db/schema/index";
import { newId } from "../../src/lib/ids";
import {
  exportAnalyticsCsv,
  listSpend,
  readAnalytics,
  readAttributionSettings,
  readValuation,
  rebuildRollups,
  replaceSpend,
  syncFan,
  updateAttributionSettings,
  updateRollups,
} from "../../src/modules/attribution/index";
import type { EngagementInput, EngagementType } from "../../src/modules/attribution/create-event-buffer";
import { createSmartLink, erasePlayUser } from "../../src/modules/play/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { enrollFan } from "../harness/enroll-fan";

const ALBUM_ID = "4aawyAB9vmqN3uQ7FjRGTy";
const TRACK_A = "6OmhkSOpvYBokMKQxpIGx2";
const SECRET = "test-job-secret-0123456789abcdef0123456789ab";
const MIN = 60_000;
const DAY = 86_400_000;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Deterministic PRNG (mulberry32): the property test is reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]! };
}

async function setup() {
  t = await createTestApp();
  const ctx = t.runtime.ctxFor({ kind: "system" });
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: `https://open.spotify.com/album/${ALBUM_ID}` } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  const now = t.clock.now();
  // A second link of the same artist and a second artist with its own link.
  const link2 = newId("smartLink", now);
  await t.runtime.database.db.insert(smartLinks).values({ ...(await t.runtime.database.db.query.smartLinks.findFirst({ where: eq(smartLinks.id, created.link.id) }))!, id: link2, slug: "second", spotifyAlbumId: "second0000000000000000", theme: "midnight" });
  const otherArtist = newId("artist", now);
  await t.runtime.database.db.insert(artists).values({ id: otherArtist, slug: "other", name: "Other", createdAt: now, updatedAt: now, hubTheme: "sunset" });
  const otherLink = newId("smartLink", now);
  await t.runtime.database.db.insert(smartLinks).values({ id: otherLink, artistId: otherArtist, slug: "x", spotifyAlbumId: "other00000000000000000", releaseType: "single", title: "X", releaseArtists: [], createdAt: now, updatedAt: now });
  return { t, ctx, linkPath: `/${created.artist.slug}/${created.link.slug}`, artistId: created.artist.id, link1: created.link.id, link2, otherArtist, otherLink };
}

async function addFans(app: TestApp, n: number): Promise<string[]> {
  const now = app.clock.now();
  const ids = Array.from({ length: n }, () => newId("playUser", now));
  await app.runtime.database.db.insert(playUsers).values(
    ids.map((id, i) => ({ id, spotifyUserId: `sp-${id}-${i}`, accessTokenSealed: "x", refreshTokenSealed: "x", accessTokenExpiresAt: now, consentedAt: now, scopes: "", createdAt: now, updatedAt: now })),
  );
  return ids;
}

const context = (over: Partial<LandingContext> = {}): LandingContext => ({
  path: "/x",
  utm: {},
  referrerHost: null,
  clickIds: [],
  country: null,
  deviceClass: "mobile",
  inAppBrowser: null,
  locale: null,
  ...over,
});

async function record(ctx: Ctx, events: EngagementInput[]) {
  await ctx.events.record(ctx.db, events);
}

async function rollupRows(ctx: Ctx) {
  const daily = await ctx.db.select().from(analyticsDaily).orderBy(analyticsDaily.artistId, analyticsDaily.day, analyticsDaily.smartLinkId, analyticsDaily.type);
  const breakdowns = await ctx.db
    .select()
    .from(analyticsDailyBreakdowns)
    .orderBy(analyticsDailyBreakdowns.artistId, analyticsDailyBreakdowns.dimension, analyticsDailyBreakdowns.day, analyticsDailyBreakdowns.smartLinkId, analyticsDailyBreakdowns.type, analyticsDailyBreakdowns.value);
  return { daily, breakdowns };
}

/** Independent recompute in JS from the raw rows (what the SQL must equal). */
async function expectedRollups(ctx: Ctx) {
  const events = await ctx.db.select().from(engagementEvents);
  const flags = (await ctx.db.select().from(engagementFlags)).filter((f) => f.clearedAt === null);
  const links = new Map((await ctx.db.select().from(smartLinks)).map((l) => [l.id, l.theme]));
  const hubs = new Map((await ctx.db.select().from(artists)).map((a) => [a.id, a.hubTheme]));
  const flagged = (e: (typeof events)[number]) =>
    flags.some((f) => f.eventId === e.id || (f.playUserId !== null && f.playUserId === e.playUserId && (f.scopeFrom === null || f.scopeFrom <= e.occurredAt)));
  const daily = new Map<string, { artistId: string; day: string; smartLinkId: string; type: string; events: number; flagged: number; v: Set<string>; f: Set<string> }>();
  const breakdowns = new Map<string, { artistId: string; dimension: string; day: string; smartLinkId: string; type: string; value: string; events: number; v: Set<string>; f: Set<string> }>();
  for (const e of events) {
    const day = e.occurredAt.toISOString().slice(0, 10);
    const link = e.smartLinkId ?? "";
    const k = [e.artistId, day, link, e.type].join("|");
    const d = daily.get(k) ?? { artistId: e.artistId, day, smartLinkId: link, type: e.type, events: 0, flagged: 0, v: new Set(), f: new Set() };
    daily.set(k, d);
    if (flagged(e)) {
      d.flagged += 1;
      continue;
    }
    d.events += 1;
    if (e.visitorHash) d.v.add(e.visitorHash);
    if (e.playUserId) d.f.add(e.playUserId);
    const c = e.context;
    const dims: Array<[string, string]> = [
      ["country", c.country ?? ""],
      ["referrer", c.referrerHost ?? ""],
      ["utm_source", c.utm.source ?? ""],
      ["utm_medium", c.utm.medium ?? ""],
      ["utm_campaign", c.utm.campaign ?? ""],
      ["device", c.deviceClass ?? ""],
      ["locale", c.locale ?? ""],
      ["theme", c.theme ?? (e.detail.theme as string | undefined) ?? (e.smartLinkId ? links.get(e.smartLinkId)! : hubs.get(e.artistId)!)],
      ["in_app_browser", c.inAppBrowser ?? ""],
      ...(c.clickIds.length ? c.clickIds.map((n) => ["click_id", n] as [string, string]) : [["click_id", ""] as [string, string]]),
      ...(e.type === "SERVICE_CLICK" ? [["service", (e.detail.service as string | undefined) ?? ""] as [string, string]] : []),
    ];
    for (const [dimension, value] of dims) {
      const bk = [e.artistId, dimension, day, link, e.type, value].join("|");
      const b = breakdowns.get(bk) ?? { artistId: e.artistId, dimension, day, smartLinkId: link, type: e.type, value, events: 0, v: new Set(), f: new Set() };
      b.events += 1;
      if (e.visitorHash) b.v.add(e.visitorHash);
      if (e.playUserId) b.f.add(e.playUserId);
      breakdowns.set(bk, b);
    }
  }
  const cmp = (a: string[], b: string[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  };
  return {
    daily: [...daily.values()]
      .map(({ v, f, ...r }) => ({ ...r, uniques: v.size, fans: f.size }))
      .sort((a, b) => cmp([a.artistId, a.day, a.smartLinkId, a.type], [b.artistId, b.day, b.smartLinkId, b.type])),
    breakdowns: [...breakdowns.values()]
      .map(({ v, f, ...r }) => ({ ...r, uniques: v.size, fans: f.size }))
      .sort((a, b) => cmp([a.artistId, a.dimension, a.day, a.smartLinkId, a.type, a.value], [b.artistId, b.dimension, b.day, b.smartLinkId, b.type, b.value])),
  };
}

/** Database collation may order differently from JS: compare as sorted JSON. */
const canonical = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort();

describe("analytics rollups", () => {
  // Many rollup runs over ~500 events: slow on two busy cores, hence the longer timeout.
  it("equal a raw recompute after random event streams, late events, flags raised and cleared (seeded property test)", { timeout: 120_000 }, async () => {
    const { t, ctx, artistId, link1, link2, otherArtist, otherLink } = await setup();
    const fans = await addFans(t, 6);
    const r = rng(20261129);
    const types: EngagementType[] = ["VIEW", "VIEW", "VIEW", "SERVICE_CLICK", "AUTH", "SAVE_TRACK", "FOLLOW_ARTIST", "PRESAVE", "STREAM", "UNSAVE_TRACK"];
    const base = Date.parse("2026-11-20T00:00:00Z");
    const all: string[] = [];
    for (let round = 0; round < 8; round++) {
      const batch: EngagementInput[] = [];
      for (let i = 0; i < 60; i++) {
        const type = r.pick(types);
        const artist = r.next() < 0.8 ? artistId : otherArtist;
        const link = artist === artistId ? r.pick([link1, link2, null]) : r.pick([otherLink, null]);
        // Mostly recent, sometimes late (days back), including across midnight UTC.
        const at = new Date(base + Math.floor(r.next() * 9 * DAY) + (round % 3 === 2 ? -3 * DAY : 0));
        batch.push({
          type,
          artistId: artist,
          smartLinkId: link,
          playUserId: ["VIEW", "SERVICE_CLICK"].includes(type) ? null : r.pick(fans),
          visitorHash: r.next() < 0.9 ? `vh${Math.floor(r.next() * 12)}` : null,
          occurredAt: at,
          context: context({
            utm: r.next() < 0.6 ? { source: r.pick(["ig", "tt"]), campaign: r.pick(["launch", "=cmd", "tour"]), ...(r.next() < 0.5 ? { medium: "paid" } : {}) } : {},
            referrerHost: r.pick([null, "l.instagram.com", "t.co"]),
            clickIds: r.pick([[], ["fbclid"], ["gclid", "fbclid"]]),
            country: r.pick([null, "PT", "DE", "US"]),
            deviceClass: r.pick(["mobile", "desktop", "tablet"]),
            inAppBrowser: r.pick([null, "instagram"]),
            locale: r.pick([null, "pt-PT", "en"]),
            // The theme the fan saw (recorded since it exists); older events have none.
            ...(r.next() < 0.4 ? { theme: r.pick(["aurora", "brutalist"]) } : {}),
          }),
          detail: type === "SERVICE_CLICK" ? { service: r.pick(["spotify", "apple_music"]) } : r.next() < 0.1 ? { theme: "neon" } : {},
        });
      }
      await record(ctx, batch);
      all.push(...(await ctx.db.select({ id: engagementEvents.id }).from(engagementEvents)).map((e) => e.id));
      // Flags: an event flag, a fan flag with a scope, and clearing an earlier one.
      const now = t.clock.now();
      if (round === 2) await ctx.db.insert(engagementFlags).values({ id: newId("engagementFlag", now), eventId: r.pick(all), reason: "velocity", flaggedAt: now });
      if (round === 3) await ctx.db.insert(engagementFlags).values({ id: newId("engagementFlag", now), playUserId: fans[0]!, reason: "shared_device", scopeFrom: new Date(base + 4 * DAY), flaggedAt: now });
      if (round === 5) await ctx.db.update(engagementFlags).set({ clearedAt: now }).where(eq(engagementFlags.reason, "velocity"));
      if (round === 6) await ctx.db.insert(engagementFlags).values({ id: newId("engagementFlag", now), playUserId: fans[1]!, reason: "looped_track", flaggedAt: now });
      if (r.next() < 0.7) await updateRollups({ ctx, input: {} });
    }
    const result = await updateRollups({ ctx, input: {} });
    expect(result.remaining).toBe(0);
    const actual = await rollupRows(ctx);
    const expected = await expectedRollups(ctx);
    expect(expected.daily.some((d) => d.flagged > 0)).toBe(true);
    expect(canonical(actual.daily)).toEqual(canonical(expected.daily));
    expect(canonical(actual.breakdowns)).toEqual(canonical(expected.breakdowns));

    // Idempotent: running again, or rebuilding everything, changes nothing.
    // (On PostgreSQL the cluster-wide watermark horizon may only now pass some batches: they
    // are recomputed again, to the same rows.)
    expect(await updateRollups({ ctx, input: {} })).toMatchObject({ markedFromFlags: 0, remaining: 0 });
    expect(await rollupRows(ctx)).toEqual(actual);
    expect((await rebuildRollups({ ctx, input: {} })).slices).toBeGreaterThan(9);
    expect(await rollupRows(ctx)).toEqual(actual);
  });

  it("picks up a late event for an old day exactly once; a re-run and a rebuild never double count", async () => {
    const { t, ctx, artistId, link1 } = await setup();
    const view = (at: string, hash: string): EngagementInput => ({ type: "VIEW", artistId, smartLinkId: link1, visitorHash: hash, occurredAt: new Date(at), context: context() });
    await record(ctx, [view("2026-11-27T10:00:00Z", "a"), view("2026-11-28T23:59:59.999Z", "a"), view("2026-11-29T00:00:00Z", "b")]);
    await updateRollups({ ctx, input: {} });
    const report = () => readAnalytics({ ctx, input: { artistId, from: "2026-11-01", to: "2026-11-30" } });
    expect((await report()).totals).toMatchObject({ visits: 3, uniqueVisitors: 3 });
    // Written now, about a day that was already rolled up.
    await record(ctx, [view("2026-11-02T08:00:00Z", "c"), view("2026-11-28T12:00:00Z", "a")]);
    await updateRollups({ ctx, input: {} });
    await updateRollups({ ctx, input: {} });
    const after = await report();
    expect(after.totals).toMatchObject({ visits: 5, uniqueVisitors: 4 });
    expect(after.series.find((d) => d.day === "2026-11-28")).toMatchObject({ visits: 2, uniqueVisitors: 1 });
    expect(after.series.find((d) => d.day === "2026-11-02")).toMatchObject({ visits: 1 });
    expect(after.series).toHaveLength(30);
    await rebuildRollups({ ctx, input: { artistId, from: "2026-11-01", to: "2026-11-30" } });
    expect((await report()).totals).toEqual(after.totals);
    void t;
  });

  it("excludes flagged events and counts them again when the flag is cleared, with reasons reported", async () => {
    const { t, ctx, artistId, link1 } = await setup();
    const [fan, other] = await addFans(t, 2);
    const at = new Date("2026-11-28T10:00:00Z");
    await record(ctx, [
      { type: "SAVE_TRACK", artistId, smartLinkId: link1, playUserId: fan!, occurredAt: at, context: context() },
      { type: "SAVE_TRACK", artistId, smartLinkId: link1, playUserId: fan!, occurredAt: new Date("2026-11-28T12:00:00Z"), context: context() },
      { type: "SAVE_TRACK", artistId, smartLinkId: link1, playUserId: other!, occurredAt: at, context: context() },
    ]);
    await updateRollups({ ctx, input: {} });
    const report = () => readAnalytics({ ctx, input: { artistId, smartLinkId: link1, from: "2026-11-28", to: "2026-11-28" } });
    expect((await report()).totals.saves).toBe(3);
    const [otherSave] = await ctx.db.select().from(engagementEvents).where(eq(engagementEvents.playUserId, other!));
    const now = t.clock.now();
    // Fan flag from 11:00 on: the 12:00 save only. Event flag: the other fan's save.
    await ctx.db.insert(engagementFlags).values([
      { id: newId("engagementFlag", now), playUserId: fan!, reason: "rapid_unrelated_saves", scopeFrom: new Date("2026-11-28T11:00:00Z"), flaggedAt: now },
      { id: newId("engagementFlag", now), eventId: otherSave!.id, reason: "datacenter_ip", flaggedAt: now },
    ]);
    expect(await updateRollups({ ctx, input: {} })).toMatchObject({ markedFromFlags: 1, recomputed: 1 });
    const flagged = await report();
    expect(flagged.totals.saves).toBe(1);
    expect(flagged.exclusions.flagged).toEqual({ events: 2, byReason: [{ reason: "datacenter_ip", events: 1 }, { reason: "rapid_unrelated_saves", events: 1 }] });
    const valuation = await readValuation({ ctx, input: { artistId, from: "2026-11-28", to: "2026-11-28" } });
    expect(valuation.totals[0]).toMatchObject({ saves: 1 });

    await ctx.db.update(engagementFlags).set({ clearedAt: t.clock.now() }).where(eq(engagementFlags.reason, "datacenter_ip"));
    await updateRollups({ ctx, input: {} });
    const cleared = await report();
    expect(cleared.totals.saves).toBe(2);
    expect(cleared.exclusions.flagged.byReason).toEqual([{ reason: "rapid_unrelated_saves", events: 1 }]);
  });

  it("erasure removes a fan's events from the rollups (the affected days are recomputed)", async () => {
    const { t, ctx, artistId, link1 } = await setup();
    const [fan] = await addFans(t, 1);
    const [user] = await ctx.db.select().from(playUsers).where(eq(playUsers.id, fan!));
    await record(ctx, [
      { type: "AUTH", artistId, smartLinkId: link1, playUserId: fan!, visitorHash: "v1", occurredAt: new Date("2026-11-20T10:00:00Z"), context: context({ country: "PT" }) },
      { type: "STREAM", artistId, smartLinkId: link1, playUserId: fan!, occurredAt: new Date("2026-11-25T10:00:00Z"), context: context({ country: "PT" }), detail: { trackId: TRACK_A } },
      { type: "VIEW", artistId, smartLinkId: link1, visitorHash: "v2", occurredAt: new Date("2026-11-25T10:00:00Z"), context: context({ country: "PT" }) },
    ]);
    await updateRollups({ ctx, input: {} });
    const report = () => readAnalytics({ ctx, input: { artistId, from: "2026-11-01", to: "2026-11-30", breakdowns: ["country"] } });
    expect((await report()).totals).toMatchObject({ authorizations: 1, streams: 1, visits: 1 });
    expect(await erasePlayUser({ ctx, input: { spotifyUserId: user!.spotifyUserId } })).toMatchObject({ erased: true, events: 2 });
    await updateRollups({ ctx, input: {} });
    const after = await report();
    expect(after.totals).toMatchObject({ authorizations: 0, streams: 0, visits: 1 });
    expect(after.breakdowns.country).toEqual([expect.objectContaining({ value: "PT", visits: 1, authorizations: 0, streams: 0 })]);
    expect(await ctx.db.select().from(analyticsDaily).where(eq(analyticsDaily.day, "2026-11-20"))).toEqual([]);
  });

  it("is a job: POST /internal/jobs/attribution.update-rollups queues it", async () => {
    const { t } = await setup();
    const res = await t.app.request("/internal/jobs/attribution.update-rollups", { method: "POST", headers: { authorization: `Bearer ${SECRET}` } });
    expect(res.status).toBe(202);
    const rows = await t.runtime.database.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'attribution.update-rollups'`);
    expect((rows.rows[0] as { n: number }).n).toBe(1);
  });
});

describe("analytics reports", () => {
  it("report the funnel, services, breakdowns and retention per link, hub and artist; another artist's link is not found", async () => {
    const { t, ctx, artistId, link1, link2, otherLink } = await setup();
    const [fanA, fanB] = await addFans(t, 2);
    const at = new Date("2026-11-28T10:00:00Z");
    const c = context({ utm: { source: "ig", campaign: "launch" }, country: "PT", referrerHost: "l.instagram.com", inAppBrowser: "instagram", locale: "pt-PT", clickIds: ["fbclid"] });
    await record(ctx, [
      ...["v1", "v2", "v3", "v1"].map((h) => ({ type: "VIEW" as const, artistId, smartLinkId: link1, visitorHash: h, occurredAt: at, context: c })),
      { type: "VIEW", artistId, smartLinkId: null, visitorHash: "v9", occurredAt: at, context: context() },
      { type: "SERVICE_CLICK", artistId, smartLinkId: link1, visitorHash: "v2", occurredAt: at, context: c, detail: { service: "apple_music" } },
      { type: "AUTH", artistId, smartLinkId: link1, playUserId: fanA!, occurredAt: at, context: c },
      { type: "AUTH", artistId, smartLinkId: link1, playUserId: fanB!, occurredAt: at, context: c },
      { type: "SAVE_TRACK", artistId, smartLinkId: link1, playUserId: fanA!, occurredAt: at, context: c },
      { type: "FOLLOW_ARTIST", artistId, smartLinkId: link1, playUserId: fanA!, occurredAt: at, context: c },
      { type: "STREAM", artistId, smartLinkId: link1, playUserId: fanA!, occurredAt: at, context: c, detail: { trackId: TRACK_A } },
      { type: "VIEW", artistId, smartLinkId: link2, visitorHash: "v5", occurredAt: at, context: context() },
    ]);
    await updateRollups({ ctx, input: {} });
    const range = { from: "2026-11-28", to: "2026-11-28" };
    const link = await readAnalytics({ ctx, input: { artistId, smartLinkId: link1, ...range, breakdowns: ["utm_campaign", "referrer", "in_app_browser", "click_id", "theme", "locale", "device", "country"] } });
    expect(link.totals).toMatchObject({ visits: 4, uniqueVisitors: 3, serviceClicks: 1, authorizations: 2, saves: 1, follows: 1, streams: 1 });
    expect(link.serviceClicksByService).toEqual([{ service: "apple_music", clicks: 1 }]);
    expect(link.funnel).toEqual([
      { step: "visits", count: 4, rateFromPrevious: null, rateFromVisits: null },
      { step: "authorizations", count: 2, rateFromPrevious: 0.5, rateFromVisits: 0.5 },
      { step: "saves", count: 1, rateFromPrevious: 0.5, rateFromVisits: 0.25 },
      { step: "follows", count: 1, rateFromPrevious: 1, rateFromVisits: 0.25 },
      { step: "streams", count: 1, rateFromPrevious: 1, rateFromVisits: 0.25 },
    ]);
    expect(link.breakdowns.utm_campaign).toEqual([expect.objectContaining({ value: "launch", visits: 4, uniqueVisitors: 3, saves: 1, streams: 1 })]);
    expect(link.breakdowns.referrer![0]).toMatchObject({ value: "l.instagram.com", visits: 4 });
    expect(link.breakdowns.click_id![0]).toMatchObject({ value: "fbclid", visits: 4 });
    expect(link.breakdowns.theme![0]).toMatchObject({ value: "classic" });
    const hub = await readAnalytics({ ctx, input: { artistId, hub: true, ...range } });
    expect(hub.totals).toMatchObject({ visits: 1, saves: 0 });
    const artist = await readAnalytics({ ctx, input: { artistId, ...range } });
    expect(artist.totals).toMatchObject({ visits: 6, saves: 1 });
    await expect(readAnalytics({ ctx, input: { artistId, smartLinkId: otherLink, ...range } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(readAnalytics({ ctx, input: { artistId, ...range, breakdowns: ["ip"] } })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "breakdown" });
  });

  it("accepts ranges up to 366 days and names the field beyond", async () => {
    const { ctx, artistId } = await setup();
    expect((await readAnalytics({ ctx, input: { artistId, from: "2024-01-01", to: "2024-12-31" } })).days).toBe(366);
    await expect(readAnalytics({ ctx, input: { artistId, from: "2025-01-01", to: "2026-01-02" } })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "to" });
    await expect(readAnalytics({ ctx, input: { artistId, from: "2026-02-30", to: "2026-03-01" } })).rejects.toMatchObject({ field: "from" });
    await expect(readAnalytics({ ctx, input: { artistId, from: "2026-03-02", to: "2026-03-01" } })).rejects.toMatchObject({ field: "to" });
  });

  it("exports CSV with formula cells neutralised and quotes escaped", async () => {
    const { ctx, artistId, link1 } = await setup();
    const at = new Date("2026-11-28T10:00:00Z");
    const campaigns = ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", 'a,"b"', "|calc!A0", "\tx", "\rcmd", "\uFF1D1+1", "safe|pipe"];
    await record(ctx, campaigns.map((campaign) => ({ type: "VIEW" as const, artistId, smartLinkId: link1, visitorHash: campaign, occurredAt: at, context: context({ utm: { campaign } }) })));
    await updateRollups({ ctx, input: {} });
    const { csv, filename } = await exportAnalyticsCsv({ ctx, input: { artistId, from: "2026-11-28", to: "2026-11-28", breakdowns: ["utm_campaign"] } });
    expect(filename).toBe(`backbeat-${artistId}-utm_campaign-2026-11-28-2026-11-28.csv`);
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("utm_campaign,visits,unique_visitors,service_clicks,presaves,authorizations,saves,follows,streams,unsaves,unfollows");
    expect(lines).toContain(`"'=HYPERLINK(""http://evil"",""x"")",1,1,0,0,0,0,0,0,0,0`);
    expect(lines).toContain("'+1,1,1,0,0,0,0,0,0,0,0");
    expect(lines).toContain("'-2,1,1,0,0,0,0,0,0,0,0");
    expect(lines).toContain("'@SUM(A1),1,1,0,0,0,0,0,0,0,0");
    expect(lines).toContain(`"a,""b""",1,1,0,0,0,0,0,0,0,0`);
    // DDE through a pipe, tab / CR prefixes and the full-width "=" are neutralised too; a pipe inside a value is data.
    expect(lines).toContain("'|calc!A0,1,1,0,0,0,0,0,0,0,0");
    expect(lines).toContain("'\tx,1,1,0,0,0,0,0,0,0,0");
    expect(csv).toContain(`"'\rcmd",1,1,0,0,0,0,0,0,0,0`);
    expect(lines).toContain("'\uFF1D1+1,1,1,0,0,0,0,0,0,0,0");
    expect(lines).toContain("safe|pipe,1,1,0,0,0,0,0,0,0,0");
    expect(lines.filter((l) => /^"?[=+\-@|\t\r\uFF1D]/.test(l))).toEqual([]);
    const daily = await exportAnalyticsCsv({ ctx, input: { artistId, from: "2026-11-27", to: "2026-11-28" } });
    expect(daily.csv.trim().split("\r\n")).toEqual(["day,visits,unique_visitors,service_clicks,presaves,authorizations,saves,follows,streams,unsaves,unfollows", "2026-11-27,0,0,0,0,0,0,0,0,0,0", "2026-11-28,10,10,0,0,0,0,0,0,0,0"]);
  });

  it("reports raw requests vs counted visits with exclusion reasons from traffic_counters", async () => {
    const { ctx, artistId, link1 } = await setup();
    expect((await readAnalytics({ ctx, input: { artistId, from: "2026-11-28", to: "2026-11-28" } })).exclusions.traffic).toEqual({ rawRequests: 0, counted: 0, byReason: [] });
    await ctx.db.execute(sql`insert into traffic_counters values
      ('2026-11-28', ${artistId}, ${link1}, 'counted', 40), ('2026-11-28', ${artistId}, ${link1}, 'bot', 7), ('2026-11-28', ${artistId}, ${link1}, 'head', 3),
      ('2026-11-28', ${artistId}, '', 'counted', 5), ('2026-11-29', ${artistId}, ${link1}, 'counted', 100), ('2026-11-28', 'art_someoneelse', ${link1}, 'bot', 99)`);
    const link = await readAnalytics({ ctx, input: { artistId, smartLinkId: link1, from: "2026-11-28", to: "2026-11-28" } });
    expect(link.exclusions.traffic).toEqual({ rawRequests: 50, counted: 40, byReason: [{ reason: "bot", requests: 7 }, { reason: "head", requests: 3 }] });
    const artist = await readAnalytics({ ctx, input: { artistId, from: "2026-11-28", to: "2026-11-28" } });
    expect(artist.exclusions.traffic).toMatchObject({ rawRequests: 55, counted: 45 });
    expect(artist.exclusions.serviceClicks).toEqual({ rawRequests: 0, counted: 0, byReason: [] });
    // Service clicks are counted apart (kind), under the same reasons; visits are unchanged.
    await ctx.db.execute(sql`insert into traffic_counters (day, artist_id, smart_link_id, kind, reason, requests) values
      ('2026-11-28', ${artistId}, ${link1}, 'service_click', 'counted', 12), ('2026-11-28', ${artistId}, ${link1}, 'service_click', 'duplicate', 4),
      ('2026-11-28', ${artistId}, ${link1}, 'service_click', 'bot', 2), ('2026-11-28', 'art_someoneelse', ${link1}, 'service_click', 'counted', 9)`);
    const withClicks = await readAnalytics({ ctx, input: { artistId, smartLinkId: link1, from: "2026-11-28", to: "2026-11-28" } });
    expect(withClicks.exclusions.traffic).toEqual(link.exclusions.traffic);
    expect(withClicks.exclusions.serviceClicks).toEqual({ rawRequests: 18, counted: 12, byReason: [{ reason: "duplicate", requests: 4 }, { reason: "bot", requests: 2 }] });
  });
});

describe("attribution window", () => {
  it("counts a stream 28 days after the touchpoint and not one 29 days after (default window)", async () => {
    t = await createTestApp();
    const ctx = t.runtime.ctxFor({ kind: "system" });
    const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: `https://open.spotify.com/album/${ALBUM_ID}` } });
    if (created.kind !== "smart_link") throw new Error("expected a smart link");
    const artistId = created.artist.id;
    expect((await readAttributionSettings({ ctx, input: { artistId } })).attributionWindowDays).toBe(28);
    const t0 = t.clock.now().getTime();
    const { fanId, playUserId } = await enrollFan(t, `/${created.artist.slug}/${created.link.slug}`);
    const control = t.runtime.spotifyEmulator!.control;
    // AUTH / SAVE / FOLLOW are recorded at t0 (the fake clock does not move during enrollment).
    control.recordPlay(fanId, TRACK_A, new Date(t0 + 28 * DAY));
    control.recordPlay(fanId, TRACK_A, new Date(t0 + 29 * DAY));
    t.clock.set(new Date(t0 + 29 * DAY + 10 * MIN));
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced", streams: 1 });
    await updateRollups({ ctx, input: {} });
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const report = await readAnalytics({ ctx, input: { artistId, from: day(t0), to: day(t0 + 30 * DAY), breakdowns: ["utm_campaign", "referrer"] } });
    expect(report.totals).toMatchObject({ authorizations: 1, saves: 1, streams: 1 });
    expect(report.series.find((d) => d.day === day(t0 + 28 * DAY))!.streams).toBe(1);
    expect(report.series.find((d) => d.day === day(t0 + 29 * DAY))!.streams).toBe(0);
    // Last touch: the stream carries the landing that produced it.
    expect(report.breakdowns.utm_campaign).toEqual([expect.objectContaining({ value: "launch", saves: 1, streams: 1 })]);
    expect(report.breakdowns.referrer).toEqual([expect.objectContaining({ value: "l.instagram.com", streams: 1 })]);
  });
});

describe("valuation", () => {
  it("spend 10000 minor units on campaign X with 4 saves costs 2500 per save; per link, per day, conversion values", async () => {
    const { t, ctx, artistId, link1, link2 } = await setup();
    const fans = await addFans(t, 4);
    const at = (d: string) => new Date(`${d}T10:00:00Z`);
    const x = context({ utm: { campaign: "X" } });
    await record(ctx, [
      ...fans.map((fan, i) => ({ type: "SAVE_TRACK" as const, artistId, smartLinkId: i < 3 ? link1 : link2, playUserId: fan, occurredAt: at(i < 2 ? "2026-11-27" : "2026-11-28"), context: x })),
      ...fans.map((fan) => ({ type: "AUTH" as const, artistId, smartLinkId: link1, playUserId: fan, occurredAt: at("2026-11-27"), context: x })),
      ...[1, 2, 3].map(() => ({ type: "STREAM" as const, artistId, smartLinkId: link1, playUserId: fans[0]!, occurredAt: at("2026-11-28"), context: x, detail: {} })),
      ...[link1, link1, link1, link2].map((l) => ({ type: "VIEW" as const, artistId, smartLinkId: l, visitorHash: "v", occurredAt: at("2026-11-27"), context: x })),
      ...[link1, link2].map((l) => ({ type: "VIEW" as const, artistId, smartLinkId: l, visitorHash: "v", occurredAt: at("2026-11-28"), context: x })),
      { type: "SAVE_TRACK", artistId, smartLinkId: link1, playUserId: fans[0]!, occurredAt: at("2026-11-28"), context: context({ utm: { campaign: "organic" } }) },
    ]);
    await updateRollups({ ctx, input: {} });
    await replaceSpend({ ctx, input: { artistId, entries: [{ utmCampaign: "X", dayFrom: "2026-11-27", dayTo: "2026-11-28", amountMinor: 10000, currency: "EUR" }] } });
    await updateAttributionSettings({ ctx, input: { artistId, eventValues: [{ eventType: "SAVE_TRACK", amountMinor: 150, currency: "EUR" }, { eventType: "STREAM", amountMinor: 1, currency: "EUR" }] } });
    const v = await readValuation({ ctx, input: { artistId, from: "2026-11-27", to: "2026-11-28" } });
    const campaignX = v.byCampaign.find((c) => c.utmCampaign === "X")!;
    expect(campaignX).toMatchObject({ currency: "EUR", spendMinor: 10000, saves: 4, streams: 3, fans: 4, costPerSave: 2500, costPerStream: 3333, costPerFan: 2500 });
    // 5000 a day; day 1 split by visits 3:1 between the links, day 2 1:1.
    const row = (day: string, link: string) => v.rows.find((r) => r.day === day && r.smartLinkId === link && r.utmCampaign === "X")!;
    expect(row("2026-11-27", link1)).toMatchObject({ spendMinor: 3750, saves: 2, costPerSave: 1875 });
    expect(row("2026-11-27", link2)).toMatchObject({ spendMinor: 1250, saves: 0, costPerSave: null });
    expect(row("2026-11-28", link2)).toMatchObject({ spendMinor: 2500, saves: 1, costPerSave: 2500 });
    expect(v.bySmartLink.find((l) => l.smartLinkId === link1 && l.currency === "EUR")).toMatchObject({ spendMinor: 6250, saves: 3, costPerSave: 2083 });
    // The organic save has no spend: its own entry, without costs.
    expect(v.bySmartLink.find((l) => l.smartLinkId === link1 && l.currency === null)).toMatchObject({ spendMinor: 0, saves: 1, costPerSave: null });
    expect(v.conversionValue).toEqual([
      { currency: "EUR", amountMinor: 5 * 150 + 3, byType: [{ eventType: "SAVE_TRACK", events: 5, unitMinor: 150, amountMinor: 750 }, { eventType: "STREAM", events: 3, unitMinor: 1, amountMinor: 3 }] },
    ]);
    const onlyLink2 = await readValuation({ ctx, input: { artistId, smartLinkId: link2, from: "2026-11-27", to: "2026-11-28" } });
    expect(onlyLink2.totals).toEqual([expect.objectContaining({ spendMinor: 3750, saves: 1, costPerSave: 3750 })]);
  });

  it("spend and settings: bad input names the field and changes nothing; replacing keeps other sources; isolation", async () => {
    const { ctx, artistId, otherLink } = await setup();
    const entry = { utmCampaign: "X", dayFrom: "2026-11-01", dayTo: "2026-11-30", amountMinor: 500, currency: "EUR" };
    await replaceSpend({ ctx, input: { artistId, entries: [entry] } });
    await expect(replaceSpend({ ctx, input: { artistId, entries: [entry, { ...entry, currency: "eur" }] } })).rejects.toMatchObject({ field: "entries.1.currency" });
    await expect(replaceSpend({ ctx, input: { artistId, entries: [{ ...entry, amountMinor: 1.5 }] } })).rejects.toMatchObject({ field: "entries.0.amountMinor" });
    await expect(replaceSpend({ ctx, input: { artistId, entries: [{ ...entry, dayTo: "2026-10-01" }] } })).rejects.toMatchObject({ field: "entries.0.dayTo" });
    await expect(replaceSpend({ ctx, input: { artistId, entries: [{ ...entry, smartLinkId: otherLink }] } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listSpend({ ctx, input: { artistId } })).toEqual([expect.objectContaining({ ...entry, source: "manual", smartLinkId: null })]);
    // Imported spend (another source) survives a manual replace.
    await ctx.db.execute(sql`insert into artist_spend (id, artist_id, source, utm_campaign, day_from, day_to, amount_minor, currency, created_at, updated_at)
      values ('spd_imported', ${artistId}, 'meta_ads', 'X', '2026-11-02', '2026-11-02', 77, 'EUR', now(), now())`);
    await replaceSpend({ ctx, input: { artistId, entries: [] } });
    expect((await listSpend({ ctx, input: { artistId } })).map((s) => s.source)).toEqual(["meta_ads"]);

    await expect(updateAttributionSettings({ ctx, input: { artistId, attributionWindowDays: 0 } })).rejects.toMatchObject({ field: "attributionWindowDays" });
    await expect(updateAttributionSettings({ ctx, input: { artistId, eventValues: [{ eventType: "VIEW", amountMinor: 1, currency: "EURO" }] } })).rejects.toMatchObject({ field: "eventValues.0.currency" });
    expect(await updateAttributionSettings({ ctx, input: { artistId, attributionWindowDays: 14 } })).toEqual({ attributionWindowDays: 14, eventValues: [] });
    await expect(readAttributionSettings({ ctx, input: { artistId: "art_00000000000000000000000000" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
