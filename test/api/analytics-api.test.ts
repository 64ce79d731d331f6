import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LandingContext } from "../../src/db/schema/index";
import { updateRollups } from "../../src/modules/attribution/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { asKey, CARLY, DAFT_PUNK, DISCOVERY, join, newUser } from "./api-harness";

/* Analytics, valuation, spend and attribution settings through /api/v1 (real HTTP, sessions, keys). */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const context = (campaign?: string): LandingContext => ({ path: "/x", utm: campaign ? { campaign } : {}, referrerHost: "t.co", clickIds: [], country: "PT", deviceClass: "mobile", inAppBrowser: null, locale: "pt-PT" });

async function world() {
  const alice = await newUser(t, "Alice");
  const bob = await newUser(t, "Bob");
  const org = (await alice.call("POST", "/organizations", { name: "Alice Records" })).body as { id: string };
  const artistId = (await alice.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: org.id })).body.id as string;
  const linkId = (await alice.call("POST", `/artists/${artistId}/smart-links`, { spotifyUrl: DISCOVERY })).body.id as string;
  const bobArtistId = (await bob.call("POST", "/artists", { spotifyUrl: CARLY })).body.id as string;
  // Events on 2026-11-28 (the fake clock is 2026-11-29T12:00Z): 3 visits, 2 saves, one on the hub.
  const ctx = t.runtime.ctxFor({ kind: "system" });
  const at = new Date("2026-11-28T10:00:00Z");
  await ctx.events.record(ctx.db, [
    ...["a", "b", "a"].map((h) => ({ type: "VIEW" as const, artistId, smartLinkId: linkId, visitorHash: h, occurredAt: at, context: context("X") })),
    { type: "VIEW", artistId, smartLinkId: null, visitorHash: "h", occurredAt: at, context: context() },
    ...[1, 2].map(() => ({ type: "SAVE_TRACK" as const, artistId, smartLinkId: linkId, occurredAt: at, context: context("X") })),
    { type: "VIEW", artistId: bobArtistId, smartLinkId: null, visitorHash: "z", occurredAt: at, context: context('=1+2') },
  ]);
  await updateRollups({ ctx, input: {} });
  return { alice, bob, orgId: org.id, artistId, linkId, bobArtistId };
}

describe("/api/v1 analytics", () => {
  it("reports per artist, hub and link with the documented shape; CSV export escapes formulas", async () => {
    const w = await world();
    const report = await w.alice.call("GET", `/artists/${w.artistId}/analytics?from=2026-11-01&to=2026-11-29&breakdown=country,utm_campaign`);
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({ visits: 4, uniqueVisitors: 3, saves: 2 });
    expect((report.body.breakdowns as Record<string, unknown[]>).utm_campaign).toEqual([expect.objectContaining({ value: "X", visits: 3, saves: 2 }), expect.objectContaining({ value: "", visits: 1 })]);
    expect(report.body.series as unknown[]).toHaveLength(29);
    // The default range: the 28 days ending today.
    expect((await w.alice.call("GET", `/artists/${w.artistId}/analytics`)).body).toMatchObject({ from: "2026-11-02", to: "2026-11-29", days: 28 });
    expect((await w.alice.call("GET", `/artists/${w.artistId}/analytics?hub=true&from=2026-11-28&to=2026-11-28`)).body.totals).toMatchObject({ visits: 1, saves: 0 });
    const link = await w.alice.call("GET", `/smart-links/${w.linkId}/analytics?from=2026-11-28&to=2026-11-28`);
    expect(link.body).toMatchObject({ scope: "link", smartLinkId: w.linkId, totals: { visits: 3, saves: 2 } });
    expect(link.body.funnel).toEqual(expect.arrayContaining([{ step: "saves", count: 2, rateFromPrevious: null, rateFromVisits: 0.6667 }]));

    const doc = (await (await t.app.request(`${t.config.publicUrl}/api/v1/openapi.json`)).json()) as { components: object; paths: Record<string, object> };
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: "backbeat", components: doc.components });
    const validate = ajv.getSchema("backbeat#/components/schemas/AnalyticsReport")!;
    expect([validate(report.body), validate.errors ?? null]).toEqual([true, null]);

    const csv = await w.alice.user.fetch(`/api/v1/smart-links/${w.linkId}/analytics.csv?from=2026-11-27&to=2026-11-28`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="backbeat-${w.linkId}-daily-2026-11-27-2026-11-28.csv"`);
    expect((await csv.text()).split("\r\n").slice(0, 3)).toEqual(["day,visits,unique_visitors,service_clicks,presaves,authorizations,saves,follows,streams,unsaves,unfollows", "2026-11-27,0,0,0,0,0,0,0,0,0,0", "2026-11-28,3,2,0,0,0,2,0,0,0,0"]);
    const bobCsv = await w.bob.user.fetch(`/api/v1/artists/${w.bobArtistId}/analytics.csv?from=2026-11-28&to=2026-11-28&breakdown=utm_campaign`);
    expect((await bobCsv.text()).split("\r\n")[1]).toBe("'=1+2,1,1,0,0,0,0,0,0,0,0");
  });

  it("P05: another tenant's artist or link answers 404 on every analytics route, for users and keys; nothing changes", async () => {
    const w = await world();
    const bobOrg = (await w.bob.call("POST", "/organizations", { name: "Bob Co" })).body.id as string;
    const key = (await w.bob.call("POST", `/organizations/${bobOrg}/api-keys`, { name: "k", scopes: ["read", "artists.write"] })).body.secret as string;
    const probes: [string, string, unknown?][] = [
      ["GET", `/artists/${w.artistId}/analytics`],
      ["GET", `/artists/${w.artistId}/analytics.csv`],
      ["GET", `/smart-links/${w.linkId}/analytics`],
      ["GET", `/smart-links/${w.linkId}/analytics.csv`],
      ["GET", `/artists/${w.artistId}/valuation`],
      ["GET", `/artists/${w.artistId}/spend`],
      ["PUT", `/artists/${w.artistId}/spend`, { entries: [] }],
      ["GET", `/artists/${w.artistId}/attribution-settings`],
      ["PUT", `/artists/${w.artistId}/attribution-settings`, { attributionWindowDays: 3 }],
      // Bob's own artist narrowed to Alice's link.
      ["GET", `/artists/${w.bobArtistId}/analytics?smartLinkId=${w.linkId}`],
    ];
    for (const [method, path, body] of probes) {
      const asBob = await w.bob.call(method, path, body);
      expect([path, asBob.status, asBob.body.error?.code]).toEqual([path, 404, "NOT_FOUND"]);
      expect([path, (await asKey(t, key).call(method, path, body)).status]).toEqual([path, 404]);
    }
    expect((await w.alice.call("GET", `/artists/${w.artistId}/attribution-settings`)).body.attributionWindowDays).toBe(28);
  });

  it("viewers read, editors write spend and settings; keys need read / artists.write; valuation costs per save", async () => {
    const w = await world();
    const viewer = await newUser(t, "Vera");
    await join(t, w.alice, `/organizations/${w.orgId}`, viewer, "viewer");
    expect((await viewer.call("GET", `/artists/${w.artistId}/analytics`)).status).toBe(200);
    expect((await viewer.call("GET", `/artists/${w.artistId}/spend`)).status).toBe(200);
    const spend = { entries: [{ utmCampaign: "X", dayFrom: "2026-11-28", dayTo: "2026-11-28", amountMinor: 1000, currency: "EUR" }] };
    expect((await viewer.call("PUT", `/artists/${w.artistId}/spend`, spend)).status).toBe(403);
    expect((await viewer.call("PUT", `/artists/${w.artistId}/attribution-settings`, { attributionWindowDays: 7 })).status).toBe(403);

    const put = await w.alice.call("PUT", `/artists/${w.artistId}/spend`, spend);
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual([expect.objectContaining({ utmCampaign: "X", amountMinor: 1000, currency: "EUR", source: "manual", smartLinkId: null })]);
    const valuation = await w.alice.call("GET", `/artists/${w.artistId}/valuation?from=2026-11-28&to=2026-11-28`);
    expect(valuation.body.byCampaign).toEqual(expect.arrayContaining([expect.objectContaining({ utmCampaign: "X", spendMinor: 1000, saves: 2, costPerSave: 500 })]));
    const settings = await w.alice.call("PUT", `/artists/${w.artistId}/attribution-settings`, { attributionWindowDays: 7, eventValues: [{ eventType: "SAVE_TRACK", amountMinor: 50, currency: "EUR" }] });
    expect(settings.body).toEqual({ attributionWindowDays: 7, eventValues: [{ eventType: "SAVE_TRACK", amountMinor: 50, currency: "EUR" }] });
    const log = await w.alice.call("GET", `/artists/${w.artistId}/audit-log`);
    expect((log.body.data as { action: string }[]).map((e) => e.action).slice(0, 2)).toEqual(["artist.attribution_update", "artist.spend_replace"]);

    const reader = (await w.alice.call("POST", `/organizations/${w.orgId}/api-keys`, { name: "r", scopes: ["read"] })).body.secret as string;
    const writer = (await w.alice.call("POST", `/organizations/${w.orgId}/api-keys`, { name: "w", scopes: ["read", "artists.write"] })).body.secret as string;
    expect((await asKey(t, reader).call("GET", `/smart-links/${w.linkId}/analytics`)).status).toBe(200);
    expect((await asKey(t, reader).call("PUT", `/artists/${w.artistId}/spend`, spend)).status).toBe(403);
    expect((await asKey(t, writer).call("PUT", `/artists/${w.artistId}/spend`, { entries: [] })).status).toBe(200);
  });

  it("bad input names the field and changes nothing", async () => {
    const w = await world();
    const cases: [string, string, unknown, string][] = [
      ["GET", `/artists/${w.artistId}/analytics?from=2025-01-01&to=2026-01-02`, undefined, "to"],
      ["GET", `/artists/${w.artistId}/analytics?from=2026-13-01&to=2026-11-02`, undefined, "from"],
      ["GET", `/artists/${w.artistId}/analytics?breakdown=ip`, undefined, "breakdown"],
      ["GET", `/artists/${w.artistId}/analytics?hub=yes`, undefined, "hub"],
      ["GET", `/artists/${w.artistId}/analytics.csv?breakdown=country,locale`, undefined, "breakdown"],
      ["PUT", `/artists/${w.artistId}/spend`, { entries: [{ utmCampaign: "X", dayFrom: "2026-11-28", dayTo: "2026-11-28", amountMinor: 10, currency: "euro" }] }, "entries.0.currency"],
      ["PUT", `/artists/${w.artistId}/spend`, { entries: [{ utmCampaign: "", dayFrom: "2026-11-28", dayTo: "2026-11-28", amountMinor: 10, currency: "EUR" }] }, "entries.0.utmCampaign"],
      ["PUT", `/artists/${w.artistId}/attribution-settings`, { attributionWindowDays: 0 }, "attributionWindowDays"],
      ["PUT", `/artists/${w.artistId}/attribution-settings`, { eventValues: [{ eventType: "NOPE", amountMinor: 1, currency: "EUR" }] }, "eventValues.0.eventType"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await w.alice.call(method, path, body);
      expect([path, r.status, r.body.error?.details?.[0]?.field]).toEqual([path, 400, field]);
    }
    expect((await w.alice.call("GET", `/artists/${w.artistId}/spend`)).body.data).toEqual([]);
    expect((await w.alice.call("GET", `/artists/${w.artistId}/attribution-settings`)).body).toEqual({ attributionWindowDays: 28, eventValues: [] });
  });
});
