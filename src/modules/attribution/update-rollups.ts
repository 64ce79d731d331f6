import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { recomputeRollupDay } from "./recompute-rollup-day";

/** Slices recomputed per run at most (≈ 2 s each for a busy day on PGlite): the rest wait for the next run, so a backlog (a first install of this migration, a rebuild of history) drains without one job outliving pg-boss's expiry. */
export const ROLLUP_SLICES_PER_RUN = 200;

export interface UpdateRollupsResult {
  /** `(artist, day)` slices newly marked from events written since the watermark. */
  markedFromEvents: number;
  /** Slices marked because a flag was raised, cleared or removed. */
  markedFromFlags: number;
  /** Slices recomputed in this run. */
  recomputed: number;
  /** Slices still marked after this run (over `ROLLUP_SLICES_PER_RUN`). */
  remaining: number;
}

/**
 * Job `attribution.update-rollups` (every minute; also `POST /internal/jobs/…`). Brings the
 * analytics rollups up to date, incrementally and idempotently:
 *
 * 0. **Marks written with the events.** Attribution's writers (the event buffer, `record`,
 *    fan sync's STREAM insert) mark the `(artist, UTC day)` of what they insert in
 *    `analytics_dirty_days` in the same statement, so a new event normally shows within a
 *    minute whatever else runs on the database.
 * 1. **Watermark (catch-all).** For rows written any other way (a bulk load, another
 *    module's insert, a mark lost between two statements outside a transaction): every
 *    event row carries its writing transaction id (`written_xid`). In
 *    one transaction: `h = pg_snapshot_xmin(pg_current_snapshot())` — every transaction below
 *    `h` has committed or rolled back — then the `(artist, UTC day)` of each event with
 *    `watermark ≤ written_xid < h` is marked dirty and the watermark moves to `h`. A batch
 *    that commits late (a long transaction, a fan sync inserting plays from hours ago, a
 *    buffered flush) has an xid at or above the watermark and is picked up by a later run;
 *    nothing is skipped, whatever `occurred_at` says. The horizon is cluster-wide: a long
 *    transaction anywhere on the server holds it back (delays the catch-all, never
 *    miscounts); step 0 does not wait for it.
 * 2. **Flags.** Flags whose open/cleared state differs from `analytics_flag_states` (new,
 *    cleared, re-opened, deleted) mark the days of the events they cover.
 * 3. **Recompute** up to `ROLLUP_SLICES_PER_RUN` dirty slices from raw events
 *    (`recomputeRollupDay`): a slice is replaced, never incremented, so a re-run or an
 *    overlapping run never double counts.
 *
 * Erasure marks its slices itself (`eraseFanEvents`).
 */
export async function updateRollups({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<UpdateRollupsResult> {
  const now = ctx.clock.now().toISOString();
  const marked = await ctx.db.transaction(async (tx) => {
    // Horizon first, then the lock: a horizon read before waiting is only more conservative.
    const horizon = String(((await tx.execute(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as h`)).rows[0] as { h: string }).h);
    await tx.execute(sql`insert into analytics_watermarks (name, value, updated_at) values ('events', '0', ${now}::timestamptz) on conflict do nothing`);
    const current = String(((await tx.execute(sql`select value from analytics_watermarks where name = 'events' for update`)).rows[0] as { value: string }).value);
    let markedFromEvents = 0;
    if (BigInt(horizon) > BigInt(current)) {
      const events = await tx.execute(sql`
        insert into analytics_dirty_days (artist_id, day, marked_at)
        select distinct artist_id, (occurred_at at time zone 'UTC')::date, ${now}::timestamptz
          from engagement_events
         where written_xid >= ${current}::xid8 and written_xid < ${horizon}::xid8
        on conflict (artist_id, day) do update set marked_at = excluded.marked_at
        returning 1`);
      markedFromEvents = events.rows.length;
      await tx.execute(sql`update analytics_watermarks set value = ${horizon}, updated_at = ${now}::timestamptz where name = 'events'`);
    }

    // Flags whose state differs from what the rollups reflect. A flag's events are marked
    // from the raw events it covers; a vanished flag (erasure) had its events erased, and
    // erasure marked those days.
    const flags = await tx.execute(sql`
      with changed as (
        select f.id, f.event_id, f.play_user_id, f.scope_from, (f.cleared_at is null) as active
          from engagement_flags f
          left join analytics_flag_states s on s.flag_id = f.id
         where s.flag_id is null and f.cleared_at is null
            or s.flag_id is not null and s.active <> (f.cleared_at is null)
      ), days as (
        select e.artist_id, (e.occurred_at at time zone 'UTC')::date as day
          from changed c join engagement_events e on e.id = c.event_id
        union
        select e.artist_id, (e.occurred_at at time zone 'UTC')::date
          from changed c join engagement_events e on e.play_user_id = c.play_user_id
         where c.play_user_id is not null and (c.scope_from is null or e.occurred_at >= c.scope_from)
      ), marked as (
        insert into analytics_dirty_days (artist_id, day, marked_at)
        select artist_id, day, ${now}::timestamptz from days
        on conflict (artist_id, day) do update set marked_at = excluded.marked_at
        returning 1
      ), saved as (
        insert into analytics_flag_states (flag_id, active) select id, active from changed
        on conflict (flag_id) do update set active = excluded.active
        returning 1
      )
      select (select count(*) from marked)::int as marked`);
    await tx.execute(sql`delete from analytics_flag_states s where not exists (select 1 from engagement_flags f where f.id = s.flag_id)`);
    return { markedFromEvents, markedFromFlags: Number((flags.rows[0] as { marked: number }).marked) };
  });

  const dirty = await ctx.db.execute(sql`
    select artist_id, day::text as day from analytics_dirty_days order by marked_at, artist_id, day limit ${ROLLUP_SLICES_PER_RUN}`);
  for (const row of dirty.rows as Array<{ artist_id: string; day: string }>) {
    await recomputeRollupDay({ ctx, input: { artistId: row.artist_id, day: row.day } });
  }
  const remaining = Number(((await ctx.db.execute(sql`select count(*)::int as n from analytics_dirty_days`)).rows[0] as { n: number }).n);
  if (remaining > 0) ctx.logger.info({ remaining }, "analytics rollups: slices left for the next run");
  return { ...marked, recomputed: dirty.rows.length, remaining };
}
