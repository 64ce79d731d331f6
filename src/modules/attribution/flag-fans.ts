/**
 * Job `attribution.flag-fans` (hourly, also `POST /internal/jobs/attribution.flag-fans`):
 * writes fan-level flags into `engagement_flags` for three explainable patterns, looking
 * back `config.fraud.lookbackMs`:
 *
 * - `shared_device`: one device hash (IP prefix + browser, weekly-rotating HMAC on AUTH
 *   events, see `hash-network.ts`) behind ≥ `sharedDeviceAccounts` distinct Spotify accounts;
 * - `shared_ip_prefix`: one IP-prefix hash (IPv4 /24, IPv6 /48) behind ≥
 *   `sharedNetworkAccounts` accounts (set higher: carrier NAT and campuses share prefixes);
 * - `rapid_unrelated_saves`: ≥ `rapidSavesCount` saves (SAVE_TRACK / PRESAVE) of distinct
 *   releases spanning ≥ `rapidSavesArtists` artists inside `rapidSavesWindowMs`;
 * - `looped_track`: ≥ `loopStreams` STREAM events of one track inside `loopWindowMs`.
 *
 * Each flag names the fan (`play_user_id`), `scope_from` (the first event of the pattern:
 * that fan's events from then on are excluded), and `detail.message`, a sentence an artist
 * can read, with the figures beside it. Idempotent: the partial unique index
 * `engagement_flags_user_reason_uq` (one open flag per fan and reason) absorbs re-runs, and
 * a flag an operator cleared (`cleared_at` set) is never raised again for that reason.
 * Events are never touched (append-only).
 */
import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { newId } from "../../lib/ids";

export type FanFlagReason = "shared_device" | "shared_ip_prefix" | "rapid_unrelated_saves" | "looped_track";

interface Candidate {
  playUserId: string;
  reason: FanFlagReason;
  scopeFrom: Date;
  detail: Record<string, unknown> & { message: string };
}

type Row = Record<string, unknown>;
const rowsOf = (result: { rows: unknown[] }) => result.rows as Row[];
const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const minutes = (ms: number) => Math.round(ms / 60_000);
const hours = (ms: number) => Math.round(ms / 3_600_000);

async function sharedOrigin(ctx: Ctx, since: Date, key: "deviceHash" | "networkHash", threshold: number): Promise<Array<{ playUserId: string; accounts: number; firstAt: Date }>> {
  const result = await ctx.db.execute(sql`
    with auths as (
      select play_user_id, occurred_at, detail->'network'->>${key} as h
        from engagement_events
       where type = 'AUTH' and play_user_id is not null and occurred_at >= ${since}::timestamptz
         and detail->'network'->>${key} is not null
    ), crowded as (
      select h, count(distinct play_user_id)::int as accounts from auths group by h having count(distinct play_user_id) >= ${threshold}
    )
    select a.play_user_id, max(c.accounts)::int as accounts, min(a.occurred_at) as first_at
      from auths a join crowded c on c.h = a.h
     group by a.play_user_id`);
  return rowsOf(result).map((r) => ({ playUserId: String(r.play_user_id), accounts: Number(r.accounts), firstAt: toDate(r.first_at) }));
}

async function rapidSaves(ctx: Ctx, since: Date): Promise<Candidate[]> {
  const { rapidSavesCount, rapidSavesArtists, rapidSavesWindowMs } = ctx.config.fraud;
  const result = await ctx.db.execute(sql`
    with saves as (
      select id, play_user_id, artist_id, smart_link_id, occurred_at
        from engagement_events
       where type in ('SAVE_TRACK', 'PRESAVE') and play_user_id is not null and smart_link_id is not null
         and occurred_at >= ${since}::timestamptz - ${rapidSavesWindowMs}::bigint * interval '1 millisecond'
    ), bursts as (
      select s.play_user_id, min(o.occurred_at) as start_at,
             count(distinct o.smart_link_id)::int as releases, count(distinct o.artist_id)::int as artists
        from saves s
        join saves o on o.play_user_id = s.play_user_id
                    and o.occurred_at between s.occurred_at - ${rapidSavesWindowMs}::bigint * interval '1 millisecond' and s.occurred_at
       where s.occurred_at >= ${since}::timestamptz
       group by s.id, s.play_user_id
      having count(distinct o.smart_link_id) >= ${rapidSavesCount} and count(distinct o.artist_id) >= ${rapidSavesArtists}
    )
    select play_user_id, min(start_at) as start_at, max(releases)::int as releases, max(artists)::int as artists from bursts group by play_user_id`);
  return rowsOf(result).map((r) => ({
    playUserId: String(r.play_user_id),
    reason: "rapid_unrelated_saves",
    scopeFrom: toDate(r.start_at),
    detail: {
      message: `Saved ${r.releases} different releases by ${r.artists} artists within ${minutes(rapidSavesWindowMs)} minutes.`,
      releases: Number(r.releases),
      artists: Number(r.artists),
      windowMinutes: minutes(rapidSavesWindowMs),
    },
  }));
}

async function loopedTracks(ctx: Ctx, since: Date): Promise<Candidate[]> {
  const { loopStreams, loopWindowMs } = ctx.config.fraud;
  const result = await ctx.db.execute(sql`
    with streams as (
      select play_user_id, detail->>'trackId' as track_id, occurred_at
        from engagement_events
       where type = 'STREAM' and play_user_id is not null and occurred_at >= ${since}::timestamptz
    ), loops as (
      select s.play_user_id, s.track_id, s.occurred_at, count(*)::int as plays, min(o.occurred_at) as start_at
        from streams s
        join streams o on o.play_user_id = s.play_user_id and o.track_id = s.track_id
                      and o.occurred_at between s.occurred_at - ${loopWindowMs}::bigint * interval '1 millisecond' and s.occurred_at
       group by s.play_user_id, s.track_id, s.occurred_at
      having count(*) >= ${loopStreams}
    )
    select distinct on (play_user_id) play_user_id, track_id, plays, start_at
      from loops order by play_user_id, plays desc, start_at`);
  return rowsOf(result).map((r) => ({
    playUserId: String(r.play_user_id),
    reason: "looped_track",
    scopeFrom: toDate(r.start_at),
    detail: {
      message: `Played one track ${r.plays} times within ${hours(loopWindowMs)} hours.`,
      trackId: String(r.track_id),
      streams: Number(r.plays),
      windowHours: hours(loopWindowMs),
    },
  }));
}

/** Runs every pattern and inserts new flags. Returns how many were new, per reason. */
export async function flagFans({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<{ flagged: Record<FanFlagReason, number> }> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - ctx.config.fraud.lookbackMs);
  const { sharedDeviceAccounts, sharedNetworkAccounts } = ctx.config.fraud;
  const candidates: Candidate[] = [
    ...(await sharedOrigin(ctx, since, "deviceHash", sharedDeviceAccounts)).map((c): Candidate => ({
      playUserId: c.playUserId,
      reason: "shared_device",
      scopeFrom: c.firstAt,
      detail: { message: `Authorized from a device used by ${c.accounts} Spotify accounts.`, accounts: c.accounts },
    })),
    ...(await sharedOrigin(ctx, since, "networkHash", sharedNetworkAccounts)).map((c): Candidate => ({
      playUserId: c.playUserId,
      reason: "shared_ip_prefix",
      scopeFrom: c.firstAt,
      detail: { message: `Authorized from a network (IP prefix) used by ${c.accounts} Spotify accounts.`, accounts: c.accounts },
    })),
    ...(await rapidSaves(ctx, since)),
    ...(await loopedTracks(ctx, since)),
  ];
  const flagged: Record<FanFlagReason, number> = { shared_device: 0, shared_ip_prefix: 0, rapid_unrelated_saves: 0, looped_track: 0 };
  if (candidates.length === 0) return { flagged };
  const json = JSON.stringify(
    candidates.map((c) => ({
      id: newId("engagementFlag", now),
      play_user_id: c.playUserId,
      reason: c.reason,
      detail: c.detail,
      scope_from: c.scopeFrom.toISOString(),
    })),
  );
  const inserted = await ctx.db.execute(sql`
    insert into engagement_flags (id, play_user_id, artist_id, reason, detail, scope_from, flagged_at)
    select r.id, r.play_user_id, null, r.reason, r.detail, r.scope_from, ${now}::timestamptz
      from json_to_recordset(${json}::json) as r(id text, play_user_id text, reason text, detail jsonb, scope_from timestamptz)
     where exists (select 1 from play_users u where u.id = r.play_user_id)
       and not exists (select 1 from engagement_flags f where f.play_user_id = r.play_user_id and f.reason = r.reason and f.cleared_at is not null)
    on conflict (play_user_id, reason) where play_user_id is not null and cleared_at is null do nothing
    returning reason`);
  for (const r of rowsOf(inserted)) flagged[r.reason as FanFlagReason] += 1;
  ctx.logger.info({ flagged }, "fan flags written");
  return { flagged };
}
