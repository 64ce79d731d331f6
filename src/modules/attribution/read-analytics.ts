import { sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { badRequest } from "../../lib/errors";
import type { TrafficKind } from "./create-event-buffer";
import { listRangeDays, parseAnalyticsRange } from "./parse-analytics-range";
import { BREAKDOWN_DIMENSIONS, type BreakdownDimension } from "./recompute-rollup-day";
import { resolveAnalyticsScope, type AnalyticsScope } from "./resolve-analytics-scope";

/** Counted figures of a report (flagged events excluded). */
export interface AnalyticsMetrics {
  /** VIEW events (counted human visits; machine traffic never becomes a VIEW). */
  visits: number;
  /** Sum over the days of each day's distinct visitor hashes (the hash rotates daily). */
  uniqueVisitors: number;
  serviceClicks: number;
  presaves: number;
  /** AUTH events: a fan authorized Backbeat on Spotify through the link. */
  authorizations: number;
  saves: number;
  follows: number;
  /** STREAM events attributed (last touch) to the link within the artist's window. */
  streams: number;
  unsaves: number;
  unfollows: number;
  playbackStarted: number;
  authFailures: number;
}

export type MetricName = keyof AnalyticsMetrics;

/** Event type → metric. */
export const METRIC_OF_TYPE: Record<string, Exclude<MetricName, "uniqueVisitors">> = {
  VIEW: "visits",
  SERVICE_CLICK: "serviceClicks",
  PRESAVE: "presaves",
  AUTH: "authorizations",
  SAVE_TRACK: "saves",
  FOLLOW_ARTIST: "follows",
  STREAM: "streams",
  UNSAVE_TRACK: "unsaves",
  UNFOLLOW_ARTIST: "unfollows",
  PLAYBACK_STARTED: "playbackStarted",
  AUTH_FAILED: "authFailures",
};

export interface FunnelStep {
  step: "visits" | "authorizations" | "saves" | "follows" | "streams";
  count: number;
  /** count / previous step's count (null when the previous is 0); streams can exceed 1. */
  rateFromPrevious: number | null;
  /** count / visits (null when there were no visits). */
  rateFromVisits: number | null;
}

export interface BreakdownRow extends AnalyticsMetrics {
  /** `''` = the event had no value for this dimension (no referrer, no campaign…). */
  value: string;
}

export interface RetentionFigures {
  /** Items (albums / artists) saved or followed through this scope whose state fan sync checks. */
  tracked: number;
  /** Still saved/followed at the last check. */
  kept: number;
  /** kept / tracked (null when nothing is tracked). */
  rate: number | null;
}

export interface AnalyticsReport {
  scope: AnalyticsScope["kind"];
  artistId: string;
  smartLinkId: string | null;
  from: string;
  to: string;
  days: number;
  totals: AnalyticsMetrics;
  serviceClicksByService: Array<{ service: string; clicks: number }>;
  funnel: FunnelStep[];
  /** Current state (not limited to the range) from `fan_library_states`; flagged fans left out. */
  retention: { saves: RetentionFigures; follows: RetentionFigures };
  /** One entry per day of the range, zeros included. */
  series: Array<{ day: string } & AnalyticsMetrics>;
  breakdowns: Partial<Record<BreakdownDimension, BreakdownRow[]>>;
  exclusions: {
    /** Events stored but excluded by open flags (traffic quality), by reason. An event with two reasons counts in both. */
    flagged: { events: number; byReason: Array<{ reason: string; events: number }> };
    /**
     * Landing requests from `traffic_counters` (kind `visit`): raw = every request, counted =
     * counted human visits (= `totals.visits` once rollups caught up), the rest by exclusion
     * reason. Null when traffic counting is not installed.
     */
    traffic: TrafficFigures | null;
    /**
     * Tracked service clicks (`…/go/{service}`, kind `service_click`) under the same rules:
     * raw = every click request, counted = counted human clicks (the SERVICE_CLICK events in
     * `totals.serviceClicks`), the rest by exclusion reason (`duplicate` = the same service
     * tapped again inside the dedupe window).
     */
    serviceClicks: TrafficFigures;
  };
}

/** Raw requests vs counted ones, with the excluded ones per reason (largest first). */
export interface TrafficFigures {
  rawRequests: number;
  counted: number;
  byReason: Array<{ reason: string; requests: number }>;
}

export interface ReadAnalyticsInput {
  artistId: string;
  /** One smart link of the artist. */
  smartLinkId?: string | undefined;
  /** Only the artist hub (events without a smart link). Ignored with `smartLinkId`. */
  hub?: boolean | undefined;
  /** Inclusive UTC dates, at most 366 days. */
  from: string;
  to: string;
  breakdowns?: readonly string[] | undefined;
}

const emptyMetrics = (): AnalyticsMetrics => ({
  visits: 0,
  uniqueVisitors: 0,
  serviceClicks: 0,
  presaves: 0,
  authorizations: 0,
  saves: 0,
  follows: 0,
  streams: 0,
  unsaves: 0,
  unfollows: 0,
  playbackStarted: 0,
  authFailures: 0,
});

function add(metrics: AnalyticsMetrics, type: string, events: number, uniques: number): void {
  const metric = METRIC_OF_TYPE[type];
  if (!metric) return;
  metrics[metric] += events;
  if (type === "VIEW") metrics.uniqueVisitors += uniques;
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * The analytics report of an artist, its hub or one smart link over a UTC date range, from
 * the daily rollups (`analytics_daily`, `analytics_daily_breakdowns`), which
 * `attribution.update-rollups` keeps up to date (within about a minute of the events).
 * Flagged events are excluded from every figure and reported under `exclusions`.
 *
 * @throws AppError BAD_REQUEST naming `from`, `to` (range over 366 days) or `breakdown`;
 *   NOT_FOUND for an unknown artist or a smart link of another artist.
 */
export async function readAnalytics({ ctx, input }: { ctx: Ctx; input: ReadAnalyticsInput }): Promise<AnalyticsReport> {
  const range = parseAnalyticsRange(input);
  const dimensions = [...new Set(input.breakdowns ?? [])];
  for (const d of dimensions) {
    if (!(BREAKDOWN_DIMENSIONS as readonly string[]).includes(d)) throw badRequest("breakdown", `unknown dimension "${d}"; one of ${BREAKDOWN_DIMENSIONS.join(", ")}`);
  }
  const scope = await resolveAnalyticsScope({ ctx, input });
  const linkFilter: SQL = scope.linkKey === null ? sql`` : sql`and smart_link_id = ${scope.linkKey}`;
  const where = sql`artist_id = ${scope.artistId} and day >= ${range.from}::date and day <= ${range.to}::date ${linkFilter}`;

  const daily = await ctx.db.execute(sql`
    select day::text as day, type, sum(events)::int as events, sum(uniques)::int as uniques
      from analytics_daily where ${where} group by day, type`);
  const totals = emptyMetrics();
  const byDay = new Map(listRangeDays(range).map((day) => [day, emptyMetrics()]));
  for (const row of daily.rows as Array<{ day: string; type: string; events: number; uniques: number }>) {
    add(totals, row.type, row.events, row.uniques);
    const m = byDay.get(row.day);
    if (m) add(m, row.type, row.events, row.uniques);
  }

  const services = await ctx.db.execute(sql`
    select value as service, sum(events)::int as clicks from analytics_daily_breakdowns
     where dimension = 'service' and type = 'SERVICE_CLICK' and ${where}
     group by value order by clicks desc, value`);

  const breakdowns: AnalyticsReport["breakdowns"] = {};
  for (const dimension of dimensions as BreakdownDimension[]) {
    const rows = await ctx.db.execute(sql`
      select value, type, sum(events)::int as events, sum(uniques)::int as uniques from analytics_daily_breakdowns
       where dimension = ${dimension} and ${where} group by value, type`);
    const byValue = new Map<string, BreakdownRow>();
    for (const row of rows.rows as Array<{ value: string; type: string; events: number; uniques: number }>) {
      const entry = byValue.get(row.value) ?? { value: row.value, ...emptyMetrics() };
      add(entry, row.type, row.events, row.uniques);
      byValue.set(row.value, entry);
    }
    breakdowns[dimension] = [...byValue.values()].sort((a, b) => b.visits - a.visits || b.saves - a.saves || b.streams - a.streams || a.value.localeCompare(b.value));
  }

  const steps: Array<FunnelStep["step"]> = ["visits", "authorizations", "saves", "follows", "streams"];
  const funnel = steps.map((step, i) => ({
    step,
    count: totals[step],
    rateFromPrevious: i === 0 ? null : ratio(totals[step], totals[steps[i - 1]!]),
    rateFromVisits: i === 0 ? null : ratio(totals[step], totals.visits),
  }));

  return {
    scope: scope.kind,
    artistId: scope.artistId,
    smartLinkId: scope.smartLinkId,
    from: range.from,
    to: range.to,
    days: range.days,
    totals,
    serviceClicksByService: services.rows as Array<{ service: string; clicks: number }>,
    funnel,
    retention: await readRetention(ctx, scope),
    series: [...byDay.entries()].map(([day, m]) => ({ day, ...m })),
    breakdowns,
    exclusions: {
      flagged: await readFlagged(ctx, scope, range, totalFlagged(await ctx.db.execute(sql`select coalesce(sum(flagged), 0)::int as n from analytics_daily where ${where}`))),
      traffic: await readTraffic(ctx, scope, range, "visit"),
      serviceClicks: await readTraffic(ctx, scope, range, "service_click"),
    },
  };
}

function totalFlagged(result: { rows: Record<string, unknown>[] }): number {
  return Number((result.rows[0] as { n: number }).n);
}

async function readRetention(ctx: Ctx, scope: AnalyticsScope): Promise<AnalyticsReport["retention"]> {
  const link = scope.linkKey === null ? sql`` : scope.linkKey === "" ? sql`and s.smart_link_id is null` : sql`and s.smart_link_id = ${scope.linkKey}`;
  const result = await ctx.db.execute(sql`
    select (s.uri like 'spotify:artist:%') as follow, count(*)::int as tracked, count(*) filter (where s.saved)::int as kept
      from fan_library_states s
     where s.artist_id = ${scope.artistId} ${link}
       and not exists (select 1 from engagement_flags f where f.play_user_id = s.play_user_id and f.cleared_at is null)
     group by 1`);
  const pick = (follow: boolean): RetentionFigures => {
    const row = (result.rows as Array<{ follow: boolean; tracked: number; kept: number }>).find((r) => r.follow === follow);
    return row ? { tracked: row.tracked, kept: row.kept, rate: ratio(row.kept, row.tracked) } : { tracked: 0, kept: 0, rate: null };
  };
  return { saves: pick(false), follows: pick(true) };
}

async function readFlagged(ctx: Ctx, scope: AnalyticsScope, range: { from: string; to: string }, events: number): Promise<AnalyticsReport["exclusions"]["flagged"]> {
  const link = scope.linkKey === null ? sql`` : scope.linkKey === "" ? sql`and e.smart_link_id is null` : sql`and e.smart_link_id = ${scope.linkKey}`;
  const inRange = sql`e.artist_id = ${scope.artistId} ${link}
    and e.occurred_at >= (${range.from}::date)::timestamp at time zone 'UTC' and e.occurred_at < (${range.to}::date + 1)::timestamp at time zone 'UTC'`;
  // Driven by the (few) open flags, one index lookup per flag (LATERAL): the planner must
  // never start from the artist's events, which can be millions.
  const open = await ctx.db.execute(sql`select exists (select 1 from engagement_flags where cleared_at is null) as any`);
  if (!(open.rows[0] as { any: boolean }).any) return { events, byReason: [] };
  const result = await ctx.db.execute(sql`
    with f as materialized (select reason, event_id, play_user_id, scope_from from engagement_flags where cleared_at is null)
    select reason, count(distinct id)::int as events from (
      select f.reason, e.id from f cross join lateral (select e.id from engagement_events e where e.id = f.event_id and ${inRange}) e
       where f.event_id is not null
      union all
      select f.reason, e.id from f cross join lateral (
        select e.id from engagement_events e
         where e.play_user_id = f.play_user_id and (f.scope_from is null or e.occurred_at >= f.scope_from) and ${inRange}) e
       where f.play_user_id is not null
    ) x group by reason order by events desc, reason`);
  return { events, byReason: result.rows as Array<{ reason: string; events: number }> };
}

async function readTraffic(ctx: Ctx, scope: AnalyticsScope, range: { from: string; to: string }, kind: TrafficKind): Promise<TrafficFigures> {
  // Written by the traffic gate (src/modules/attribution/create-traffic-gate.ts).
  const link = scope.linkKey === null ? sql`` : sql`and smart_link_id = ${scope.linkKey}`;
  const result = await ctx.db.execute(sql`
    select reason, sum(requests)::bigint::text as requests from traffic_counters
     where artist_id = ${scope.artistId} and day >= ${range.from}::date and day <= ${range.to}::date and kind = ${kind} ${link}
     group by reason`);
  let raw = 0;
  let counted = 0;
  const byReason: Array<{ reason: string; requests: number }> = [];
  for (const row of result.rows as Array<{ reason: string; requests: string }>) {
    const n = Number(row.requests);
    raw += n;
    if (row.reason === "counted") counted += n;
    else byReason.push({ reason: row.reason, requests: n });
  }
  byReason.sort((a, b) => b.requests - a.requests || a.reason.localeCompare(b.reason));
  return { rawRequests: raw, counted, byReason };
}
