import { and, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistEventValues, artistSpend } from "../../db/schema/analytics";
import { listRangeDays, parseAnalyticsRange } from "./parse-analytics-range";
import { resolveAnalyticsScope } from "./resolve-analytics-scope";

/** Counted conversions of one valuation row. `fans` = distinct fans authorizing, summed per day. */
export interface ConversionCounts {
  visits: number;
  saves: number;
  follows: number;
  streams: number;
  presaves: number;
  fans: number;
}

/** Costs in minor units of `currency`, rounded half up; null when the count or the spend is 0. */
export interface Costs {
  costPerSave: number | null;
  costPerFollow: number | null;
  costPerStream: number | null;
  costPerFan: number | null;
}

export interface ValuationRow extends ConversionCounts, Costs {
  day: string;
  /** null = the artist hub (or unallocated spend). */
  smartLinkId: string | null;
  /** Campaign-wide spend that could not be put on a link: the campaign had no visits that day. */
  unallocated: boolean;
  utmCampaign: string;
  /** ISO 4217; null when the row has no spend. */
  currency: string | null;
  spendMinor: number;
}

export interface ValuationTotal extends ConversionCounts, Costs {
  currency: string | null;
  spendMinor: number;
}

export interface ValuationReport {
  artistId: string;
  smartLinkId: string | null;
  from: string;
  to: string;
  /** Per day, smart link and UTM campaign (rows without spend and without conversions left out). */
  rows: ValuationRow[];
  byCampaign: Array<ValuationTotal & { utmCampaign: string }>;
  /** `smartLinkId` null = the hub; `unallocated` spend is its own entry. */
  bySmartLink: Array<ValuationTotal & { smartLinkId: string | null; unallocated: boolean }>;
  /** Per currency over the whole range. */
  totals: ValuationTotal[];
  /** Counted events × the artist's value per event type, per currency. */
  conversionValue: Array<{ currency: string; amountMinor: number; byType: Array<{ eventType: string; events: number; unitMinor: number; amountMinor: number }> }>;
}

/** Rollup link key of campaign spend without a link to put it on. */
const UNALLOCATED = "\u0001unallocated";
const TYPES: Record<string, keyof ConversionCounts> = { VIEW: "visits", SAVE_TRACK: "saves", FOLLOW_ARTIST: "follows", STREAM: "streams", PRESAVE: "presaves" };
const zero = (): ConversionCounts => ({ visits: 0, saves: 0, follows: 0, streams: 0, presaves: 0, fans: 0 });
const per = (spend: number, n: number) => (n > 0 && spend > 0 ? Math.round(spend / n) : null);
const costs = (spend: number, c: ConversionCounts): Costs => ({
  costPerSave: per(spend, c.saves),
  costPerFollow: per(spend, c.follows),
  costPerStream: per(spend, c.streams),
  costPerFan: per(spend, c.fans),
});

/** Splits `total` into parts proportional to `weights` (largest remainder; the parts sum to `total`). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]![1]]! += 1;
  return parts;
}

/**
 * Valuation of an artist (or one smart link) over a UTC date range, from the rollups and
 * `artist_spend`. Flagged events are excluded (rollups count only unflagged events).
 *
 * Spend: each entry covers `day_from`..`day_to` and is spread evenly over those days (minor
 * units; the remainder goes to the first days). An entry naming a smart link stays on it;
 * a campaign-wide entry is split among the campaign's smart links by their counted visits
 * that day (largest remainder), or kept on `smartLinkId: null` when the campaign had none.
 * Attribution is last touch: a save, follow or stream counts for the campaign of the landing
 * that produced it (STREAMs carry their touchpoint's landing context).
 * Cost per X = spend / X, in minor units, rounded; null when X is 0.
 *
 * @throws AppError BAD_REQUEST naming `from`/`to`; NOT_FOUND for an unknown artist/link.
 */
export async function readValuation({ ctx, input }: { ctx: Ctx; input: { artistId: string; smartLinkId?: string | undefined; from: string; to: string } }): Promise<ValuationReport> {
  const range = parseAnalyticsRange(input);
  const scope = await resolveAnalyticsScope({ ctx, input });
  const linkFilter: SQL = scope.linkKey === null ? sql`` : sql`and smart_link_id = ${scope.linkKey}`;
  const counts = await ctx.db.execute(sql`
    select day::text as day, smart_link_id, value as campaign, type, sum(events)::int as events, sum(fans)::int as fans
      from analytics_daily_breakdowns
     where artist_id = ${scope.artistId} and dimension = 'utm_campaign' and day >= ${range.from}::date and day <= ${range.to}::date
       and type in ('VIEW', 'SAVE_TRACK', 'FOLLOW_ARTIST', 'STREAM', 'PRESAVE', 'AUTH')
     group by day, smart_link_id, value, type`);

  // key: day \u0000 link \u0000 campaign
  const key = (day: string, link: string, campaign: string) => `${day}\u0000${link}\u0000${campaign}`;
  const conv = new Map<string, ConversionCounts>();
  const visitsByDayCampaign = new Map<string, Array<{ link: string; visits: number }>>();
  for (const r of counts.rows as Array<{ day: string; smart_link_id: string; campaign: string; type: string; events: number; fans: number }>) {
    // Every link's visits are read: campaign spend is split among all the campaign's links,
    // also when the report covers one of them.
    if (scope.linkKey === null || r.smart_link_id === scope.linkKey) {
      const k = key(r.day, r.smart_link_id, r.campaign);
      const c = conv.get(k) ?? zero();
      if (r.type === "AUTH") c.fans += r.fans;
      else c[TYPES[r.type]!] += r.events;
      conv.set(k, c);
    }
    if (r.type === "VIEW" && r.events > 0) {
      const dc = `${r.day}\u0000${r.campaign}`;
      visitsByDayCampaign.set(dc, [...(visitsByDayCampaign.get(dc) ?? []), { link: r.smart_link_id, visits: r.events }]);
    }
  }

  const entries = await ctx.db
    .select()
    .from(artistSpend)
    .where(and(eq(artistSpend.artistId, scope.artistId), lte(artistSpend.dayFrom, range.to), gte(artistSpend.dayTo, range.from)));
  // spend: key → currency → minor units
  const spend = new Map<string, Map<string, number>>();
  const addSpend = (k: string, currency: string, amount: number) => {
    if (amount === 0) return;
    const m = spend.get(k) ?? new Map<string, number>();
    m.set(currency, (m.get(currency) ?? 0) + amount);
    spend.set(k, m);
  };
  for (const e of entries) {
    if (scope.linkKey !== null && e.smartLinkId !== null && e.smartLinkId !== scope.linkKey) continue;
    const days = listRangeDays({ from: e.dayFrom, to: e.dayTo });
    const daily = apportion(e.amountMinor, days.map(() => 1));
    days.forEach((day, i) => {
      if (day < range.from || day > range.to) return;
      if (e.smartLinkId) return addSpend(key(day, e.smartLinkId, e.utmCampaign), e.currency, daily[i]!);
      const links = visitsByDayCampaign.get(`${day}\u0000${e.utmCampaign}`) ?? [];
      if (links.length === 0) {
        if (scope.linkKey === null) addSpend(key(day, UNALLOCATED, e.utmCampaign), e.currency, daily[i]!);
        return;
      }
      const parts = apportion(daily[i]!, links.map((l) => l.visits));
      links.forEach((l, j) => {
        if (scope.linkKey === null || l.link === scope.linkKey) addSpend(key(day, l.link, e.utmCampaign), e.currency, parts[j]!);
      });
    });
  }

  const rows: ValuationRow[] = [];
  for (const k of new Set([...conv.keys(), ...spend.keys()])) {
    const [day, link, campaign] = k.split("\u0000") as [string, string, string];
    const c = conv.get(k) ?? zero();
    const currencies = spend.get(k);
    const base = { day, smartLinkId: link === "" || link === UNALLOCATED ? null : link, unallocated: link === UNALLOCATED, utmCampaign: campaign };
    if (!currencies) {
      if (c.saves + c.follows + c.streams + c.presaves + c.fans === 0) continue;
      rows.push({ ...base, currency: null, spendMinor: 0, ...c, ...costs(0, c) });
    } else {
      for (const [currency, amount] of currencies) rows.push({ ...base, currency, spendMinor: amount, ...c, ...costs(amount, c) });
    }
  }
  rows.sort((a, b) => a.day.localeCompare(b.day) || (a.smartLinkId ?? "").localeCompare(b.smartLinkId ?? "") || a.utmCampaign.localeCompare(b.utmCampaign));

  const group = (keyOf: (r: ValuationRow) => string) => {
    const acc = new Map<string, { first: ValuationRow; total: ValuationTotal }>();
    for (const r of rows) {
      const gk = `${keyOf(r)}\u0000${r.currency ?? ""}`;
      const entry = acc.get(gk) ?? { first: r, total: { currency: r.currency, spendMinor: 0, ...zero(), ...costs(0, zero()) } };
      entry.total.spendMinor += r.spendMinor;
      for (const f of Object.keys(zero()) as Array<keyof ConversionCounts>) entry.total[f] += r[f];
      acc.set(gk, entry);
    }
    return [...acc.values()].map(({ first, total }) => ({ first, total: { ...total, ...costs(total.spendMinor, total) } }));
  };
  const byCampaign = group((r) => r.utmCampaign).map(({ first, total }) => ({ utmCampaign: first.utmCampaign, ...total }));
  const bySmartLink = group((r) => `${r.smartLinkId ?? ""}\u0000${r.unallocated}`).map(({ first, total }) => ({ smartLinkId: first.smartLinkId, unallocated: first.unallocated, ...total }));
  const totals = group(() => "").map(({ total }) => total);

  const values = await ctx.db.select().from(artistEventValues).where(eq(artistEventValues.artistId, scope.artistId));
  const typeTotals = await ctx.db.execute(sql`
    select type, sum(events)::int as events from analytics_daily
     where artist_id = ${scope.artistId} and day >= ${range.from}::date and day <= ${range.to}::date ${linkFilter} group by type`);
  const eventsOf = new Map((typeTotals.rows as Array<{ type: string; events: number }>).map((r) => [r.type, r.events]));
  const valueByCurrency = new Map<string, ValuationReport["conversionValue"][number]>();
  for (const v of values) {
    const events = eventsOf.get(v.eventType) ?? 0;
    const entry = valueByCurrency.get(v.currency) ?? { currency: v.currency, amountMinor: 0, byType: [] };
    entry.byType.push({ eventType: v.eventType, events, unitMinor: v.amountMinor, amountMinor: events * v.amountMinor });
    entry.amountMinor += events * v.amountMinor;
    valueByCurrency.set(v.currency, entry);
  }

  return { artistId: scope.artistId, smartLinkId: scope.smartLinkId, from: range.from, to: range.to, rows, byCampaign, bySmartLink, totals, conversionValue: [...valueByCurrency.values()] };
}
