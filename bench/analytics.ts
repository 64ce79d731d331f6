/**
 * Analytics bench (issue 4): p95 of a 90-day funnel report for one artist with 1,000,000
 * engagement events, answered from the daily rollups (`readAnalytics`: totals, funnel,
 * daily series, services, retention, flagged reasons, traffic), beside the same funnel
 * computed by scanning the raw events (the baseline a report without rollups would cost).
 *
 * Seeding is one `generate_series` INSERT per 100,000 rows: 10 smart links plus the hub,
 * 90 days, a realistic mix of types (views 62 %, service clicks 14 %, AUTH 4 %, saves 4 %,
 * follows 4 %, pre-saves 1 %, streams 11 %), 1,000 fans, 5 campaigns, 8 countries, click ids,
 * in-app browsers. Then `attribution.update-rollups` builds the rollups (its time is
 * reported too), and the report is run `RUNS` times after a warm-up.
 *
 * PGlite runs on disk in a temporary directory (as an install does); with
 * `BENCH_DATABASE_URL` (an admin URL) the run is made on a fresh PostgreSQL database there,
 * dropped afterwards. Targets: p95 ≤ 300 ms on PGlite, ≤ 100 ms on PostgreSQL.
 *
 * Prints one JSON line `{ entries: [...] }` on stdout (read by bench/run.ts).
 * Usage: `node --import tsx bench/analytics.ts [events] [pglite|postgres]` (default 1000000, pglite).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { parseConfig } from "../src/config";
import { createFakeClock } from "../src/lib/clock";
import { createLogger } from "../src/lib/logger";
import { readAnalytics, updateRollups } from "../src/modules/attribution/index";
import { createRuntime } from "../src/runtime";

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const ENGINE = process.argv[3] === "postgres" ? "postgres" : "pglite";
const RUNS = 40;
const RAW_RUNS = 5;
const DAYS = 90;
const CHUNK = 100_000;

async function freshDatabase(admin: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bb_bench_${randomBytes(6).toString("hex")}`;
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(text);
    await client.end();
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const admin = process.env.BENCH_DATABASE_URL;
  if (ENGINE === "postgres" && !admin) throw new Error("postgres engine needs BENCH_DATABASE_URL");
  const database = ENGINE === "postgres" ? await freshDatabase(admin!) : null;
  const dataDir = ENGINE === "pglite" ? mkdtempSync(join(tmpdir(), "backbeat-bench-analytics-")) : ":memory:";
  const clock = createFakeClock("2026-11-29T12:00:00Z");
  const config = parseConfig({
    NODE_ENV: "test",
    PUBLIC_URL: "http://127.0.0.1:39418",
    BACKBEAT_DATA_DIR: dataDir,
    BACKBEAT_KEY_RING: `bench:${randomBytes(32).toString("base64")}`,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    VISITOR_HASH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "silent",
    EVENT_FLUSH_MS: "60000",
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const runtime = await createRuntime(config, { clock, logger: createLogger({ level: "silent" }) });
  try {
    const ctx = runtime.ctxFor({ kind: "system" });
    const db = runtime.database.db;
    const artistId = `art_bench${"0".repeat(21)}`;
    await db.execute(sql`insert into artists (id, slug, name, created_at, updated_at) values (${artistId}, 'bench', 'Bench', now(), now())`);
    await db.execute(sql`
      insert into smart_links (id, artist_id, slug, spotify_album_id, release_type, title, release_artists, created_at, updated_at)
      select 'lnk_bench' || lpad(g::text, 21, '0'), ${artistId}, 'release-' || g, 'album' || lpad(g::text, 17, '0'), 'album', 'Release ' || g, '[]'::jsonb, now(), now()
        from generate_series(1, 10) g`);
    await db.execute(sql`
      insert into play_users (id, spotify_user_id, access_token_sealed, refresh_token_sealed, access_token_expires_at, consented_at, scopes, created_at, updated_at)
      select 'fan_bench' || lpad(g::text, 21, '0'), 'bench-' || g, 'x', 'x', now(), now(), '', now(), now() from generate_series(1, 1000) g`);

    const seedStart = performance.now();
    const end = Date.parse("2026-11-29T00:00:00Z");
    const start = new Date(end - DAYS * 86_400_000).toISOString();
    for (let from = 1; from <= EVENTS; from += CHUNK) {
      const to = Math.min(EVENTS, from + CHUNK - 1);
      await db.execute(sql`
        insert into engagement_events (id, type, occurred_at, artist_id, smart_link_id, play_user_id, visitor_hash, context, detail)
        select 'evt_bench' || lpad(g::text, 21, '0'), t.type,
               ${start}::timestamptz + ((g::bigint * 7919) % ${DAYS * 86_400})::int * interval '1 second',
               ${artistId},
               case when g % 11 = 0 then null else 'lnk_bench' || lpad((g % 10 + 1)::text, 21, '0') end,
               case when t.type in ('VIEW', 'SERVICE_CLICK') then null else 'fan_bench' || lpad((g % 1000 + 1)::text, 21, '0') end,
               case when t.type in ('VIEW', 'SERVICE_CLICK') then 'vh' || (g % 40000) end,
               jsonb_build_object(
                 'path', '/bench/release', 'utm', case when g % 3 = 0 then '{}'::jsonb else jsonb_build_object('source', (array['ig','tt','fb'])[g % 3 + 1], 'campaign', 'campaign-' || (g % 5)) end,
                 'referrerHost', (array['l.instagram.com','t.co','www.google.com', null])[g % 4 + 1],
                 'clickIds', case when g % 7 = 0 then '["fbclid"]'::jsonb else '[]'::jsonb end,
                 'country', (array['PT','DE','US','BR','FR','GB','ES','MX'])[g % 8 + 1],
                 'deviceClass', (array['mobile','mobile','desktop','tablet'])[g % 4 + 1],
                 'inAppBrowser', case when g % 5 = 0 then 'instagram' end,
                 'locale', (array['pt-PT','en-US','de-DE'])[g % 3 + 1]),
               case when t.type = 'SERVICE_CLICK' then jsonb_build_object('service', (array['spotify','apple_music','deezer'])[g % 3 + 1]) else '{}'::jsonb end
          from generate_series(${from}::int, ${to}::int) g
          cross join lateral (select case
            when g % 100 < 62 then 'VIEW' when g % 100 < 76 then 'SERVICE_CLICK' when g % 100 < 80 then 'AUTH'
            when g % 100 < 84 then 'SAVE_TRACK' when g % 100 < 88 then 'FOLLOW_ARTIST' when g % 100 < 89 then 'PRESAVE' else 'STREAM' end as type) t`);
    }
    const seedMs = performance.now() - seedStart;

    const rollupStart = performance.now();
    const rolled = await updateRollups({ ctx, input: {} });
    const rollupMs = performance.now() - rollupStart;
    if (rolled.remaining !== 0 || rolled.recomputed < DAYS) throw new Error(`rollups incomplete: ${JSON.stringify(rolled)}`);

    const input = { artistId, from: new Date(end - DAYS * 86_400_000).toISOString().slice(0, 10), to: new Date(end - 86_400_000).toISOString().slice(0, 10) };
    const report = await readAnalytics({ ctx, input });
    if (report.totals.visits + report.totals.serviceClicks + report.totals.authorizations + report.totals.saves + report.totals.follows + report.totals.presaves + report.totals.streams !== EVENTS) {
      throw new Error(`report does not add up to ${EVENTS}: ${JSON.stringify(report.totals)}`);
    }
    for (let i = 0; i < 5; i++) await readAnalytics({ ctx, input });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await readAnalytics({ ctx, input });
      times.push(performance.now() - t0);
    }
    const breakdownTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await readAnalytics({ ctx, input: { ...input, breakdowns: ["country", "utm_campaign"] } });
      breakdownTimes.push(performance.now() - t0);
    }

    // Baseline: the same funnel (counts per type, daily uniques of views, open flags
    // excluded) straight from the raw events.
    const rawTimes: number[] = [];
    for (let i = 0; i < RAW_RUNS; i++) {
      const t0 = performance.now();
      await db.execute(sql`
        select e.type, (e.occurred_at at time zone 'UTC')::date as day, count(*) as events, count(distinct e.visitor_hash) as uniques
          from engagement_events e
         where e.artist_id = ${artistId}
           and e.occurred_at >= (${input.from}::date)::timestamp at time zone 'UTC' and e.occurred_at < (${input.to}::date + 1)::timestamp at time zone 'UTC'
           and not exists (select 1 from engagement_flags f where f.cleared_at is null and f.event_id = e.id)
         group by 1, 2`);
      rawTimes.push(performance.now() - t0);
    }

    const round = (n: number) => Math.round(n * 10) / 10;
    const p95 = percentile(times, 95);
    const rawP95 = percentile(rawTimes, 95);
    const entries = [
      {
        name: `analytics_funnel_90d_p95_${ENGINE}`,
        value: round(p95),
        unit: "ms",
        baseline: round(rawP95),
        ratio: Math.round((p95 / rawP95) * 1000) / 1000,
        target: ENGINE === "pglite" ? "<= 300 ms (baseline: raw scan)" : "<= 100 ms (baseline: raw scan)",
      },
      { name: `analytics_funnel_90d_p50_${ENGINE}`, value: round(percentile(times, 50)), unit: "ms", baseline: round(percentile(rawTimes, 50)), ratio: null, target: `info (${RUNS} runs; raw ${RAW_RUNS})` },
      { name: `analytics_breakdowns_90d_p95_${ENGINE}`, value: round(percentile(breakdownTimes, 95)), unit: "ms", baseline: null, ratio: null, target: "info (report + country and campaign breakdowns)" },
      { name: `analytics_rollup_build_${ENGINE}`, value: Math.round(rollupMs), unit: "ms", baseline: null, ratio: null, target: `info (${DAYS} artist-days, ${EVENTS} events, from scratch)` },
      { name: `analytics_seed_${ENGINE}`, value: Math.round(seedMs), unit: "ms", baseline: null, ratio: null, target: `info (${EVENTS} events via generate_series)` },
    ];
    process.stdout.write(`${JSON.stringify({ events: EVENTS, entries })}\n`);
  } finally {
    await runtime.close();
    await database?.drop();
    if (dataDir !== ":memory:") rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
