import { z } from "@hono/zod-openapi";
import { BREAKDOWN_DIMENSIONS, MAX_WINDOW_DAYS, VALUED_EVENT_TYPES } from "../modules/attribution/index";

/* Zod schemas of the analytics, valuation, spend and attribution-settings routes of `/api/v1`. */

const day = z.string().openapi({ format: "date", example: "2026-11-29" });
const time = z.string().openapi({ format: "date-time", example: "2026-11-29T12:00:00.000Z" });
const count = z.number().int();
const rate = z.number().nullable();

const metricsShape = {
  visits: count.openapi({ description: "Counted human visits (VIEW events)" }),
  uniqueVisitors: count.openapi({ description: "Sum over the days of each day's distinct visitor hashes. The hash rotates daily (no raw IPs, P11), so a visitor returning on three days counts three times." }),
  serviceClicks: count,
  presaves: count,
  authorizations: count,
  saves: count,
  follows: count,
  streams: count.openapi({ description: "Streams attributed (last touch) to the link within the artist's attribution window" }),
  unsaves: count,
  unfollows: count,
  playbackStarted: count,
  authFailures: count,
};
const Metrics = z.object(metricsShape).openapi("AnalyticsMetrics");
const Retention = z.object({ tracked: count, kept: count, rate }).openapi("RetentionFigures");

const TrafficFigures = z.object({ rawRequests: count, counted: count, byReason: z.array(z.object({ reason: z.string(), requests: count })) });

export const AnalyticsReport = z
  .object({
    scope: z.enum(["artist", "hub", "link"]),
    artistId: z.string(),
    smartLinkId: z.string().nullable(),
    from: day,
    to: day,
    days: count,
    totals: Metrics,
    serviceClicksByService: z.array(z.object({ service: z.string(), clicks: count })),
    funnel: z.array(z.object({ step: z.enum(["visits", "authorizations", "saves", "follows", "streams"]), count, rateFromPrevious: rate, rateFromVisits: rate })),
    retention: z.object({ saves: Retention, follows: Retention }).openapi({ description: "Current saved/followed state of what fans saved or followed through this scope (fan sync checks it daily); flagged fans left out" }),
    series: z.array(z.object({ day, ...metricsShape })),
    breakdowns: z.record(z.string(), z.array(z.object({ value: z.string().openapi({ description: "'' = no value (no referrer, no campaign…)" }), ...metricsShape }))).openapi({ description: `One list per requested dimension (${BREAKDOWN_DIMENSIONS.join(", ")})` }),
    exclusions: z.object({
      flagged: z.object({ events: count, byReason: z.array(z.object({ reason: z.string(), events: count })) }),
      traffic: TrafficFigures.nullable().openapi({ description: "Landing requests: raw (all), counted human visits, the rest per exclusion reason (bot, link_preview, head, prefetch, datacenter_ip, velocity_visitor, duplicate, velocity_link)" }),
      serviceClicks: TrafficFigures.openapi({ description: "Tracked service clicks (/go/{service}) under the same rules: raw, counted (= totals.serviceClicks), the rest per exclusion reason" }),
    }),
  })
  .openapi("AnalyticsReport");

const costs = {
  costPerSave: z.number().int().nullable(),
  costPerFollow: z.number().int().nullable(),
  costPerStream: z.number().int().nullable(),
  costPerFan: z.number().int().nullable(),
};
const conversions = { visits: count, saves: count, follows: count, streams: count, presaves: count, fans: count };
const money = { currency: z.string().nullable(), spendMinor: z.number().int() };
export const ValuationReport = z
  .object({
    artistId: z.string(),
    smartLinkId: z.string().nullable(),
    from: day,
    to: day,
    rows: z.array(z.object({ day, smartLinkId: z.string().nullable(), unallocated: z.boolean(), utmCampaign: z.string(), ...money, ...conversions, ...costs })),
    byCampaign: z.array(z.object({ utmCampaign: z.string(), ...money, ...conversions, ...costs })),
    bySmartLink: z.array(z.object({ smartLinkId: z.string().nullable(), unallocated: z.boolean(), ...money, ...conversions, ...costs })),
    totals: z.array(z.object({ ...money, ...conversions, ...costs })),
    conversionValue: z.array(z.object({ currency: z.string(), amountMinor: z.number().int(), byType: z.array(z.object({ eventType: z.string(), events: count, unitMinor: z.number().int(), amountMinor: z.number().int() })) })),
  })
  .openapi("ValuationReport");

export const SpendEntry = z
  .object({
    id: z.string(),
    source: z.string().openapi({ description: "`manual` (entered here) or an ad platform's import" }),
    utmCampaign: z.string(),
    smartLinkId: z.string().nullable(),
    dayFrom: day,
    dayTo: day,
    amountMinor: z.number().int().openapi({ description: "Minor units of `currency` (cents)" }),
    currency: z.string().openapi({ example: "EUR" }),
    note: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("SpendEntry");
export const SpendList = z.object({ data: z.array(SpendEntry) }).openapi("SpendList");
export const SpendInput = z
  .object({
    entries: z.array(
      z.object({
        utmCampaign: z.string(),
        smartLinkId: z.string().nullable().optional(),
        dayFrom: day,
        dayTo: day,
        amountMinor: z.number(),
        currency: z.string(),
        note: z.string().nullable().optional(),
      }),
    ),
  })
  .openapi("SpendInput");

const EventValue = z.object({ eventType: z.enum(VALUED_EVENT_TYPES), amountMinor: z.number().int(), currency: z.string() });
export const AttributionSettings = z
  .object({ attributionWindowDays: z.number().int(), eventValues: z.array(EventValue) })
  .openapi("AttributionSettings");
export const AttributionSettingsInput = z
  .object({
    attributionWindowDays: z.number().optional().openapi({ description: `1…${MAX_WINDOW_DAYS} days` }),
    eventValues: z.array(z.object({ eventType: z.string(), amountMinor: z.number(), currency: z.string() })).optional().openapi({ description: "Replaces every event value" }),
  })
  .openapi("AttributionSettingsInput");

const q = (name: string, description: string, example?: string) => z.string().optional().openapi({ param: { name, in: "query" }, description, ...(example ? { example } : {}) });
export const AnalyticsQuery = z.object({
  from: q("from", "First UTC day (inclusive); default 27 days before `to`", "2026-11-01"),
  to: q("to", "Last UTC day (inclusive); default today; at most 366 days after `from`", "2026-11-28"),
  breakdown: q("breakdown", `Comma-separated dimensions: ${BREAKDOWN_DIMENSIONS.join(", ")}`, "country,utm_campaign"),
});
export const ArtistAnalyticsQuery = AnalyticsQuery.extend({
  smartLinkId: q("smartLinkId", "Only this smart link of the artist"),
  hub: z.enum(["true", "false"]).optional().openapi({ param: { name: "hub", in: "query" }, description: "Only the artist hub (events without a smart link)" }),
});
export const ValuationQuery = z.object({
  from: q("from", "First UTC day (inclusive)"),
  to: q("to", "Last UTC day (inclusive); at most 366 days"),
  smartLinkId: q("smartLinkId", "Only this smart link of the artist"),
});
