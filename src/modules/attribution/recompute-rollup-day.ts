import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";

/**
 * The breakdown dimensions kept in `analytics_daily_breakdowns` (see its docstring).
 * `click_id` is the ad-click id NAME (gclid, fbclid…), never its value.
 */
export const BREAKDOWN_DIMENSIONS = [
  "country",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "device",
  "locale",
  "theme",
  "in_app_browser",
  "click_id",
  "service",
] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/**
 * Recomputes the rollups of one `(artist, UTC day)` slice from raw `engagement_events` and
 * the open `engagement_flags`, replacing whatever was there, in one transaction, and
 * consumes the slice's dirty mark. Deterministic: running it twice gives the same rows.
 *
 * Flag rule (engagement_flags docstring): an event is excluded when an open flag names it
 * (`event_id`), or names its fan (`play_user_id`) with `scope_from` null or at/before the
 * event's `occurred_at`. Excluded events count in `analytics_daily.flagged` only.
 * Theme: the theme the fan saw, `context.theme`, recorded with the event (and carried from
 * the landing to the events that follow it, STREAMs included). Events written before it was
 * recorded fall back to `detail.theme`, else to the link's (or the hub's) theme at recompute
 * time — so for those old events a theme change moves them to the new theme on the next
 * recompute of their day.
 *
 * Concurrent recomputes of one slice (job and rebuild) are serialized by a transaction-level
 * advisory lock on the slice.
 *
 * @param input.day UTC date `YYYY-MM-DD`.
 * @returns rows written to `analytics_daily`.
 */
export async function recomputeRollupDay({ ctx, input }: { ctx: Ctx; input: { artistId: string; day: string } }): Promise<{ rows: number }> {
  const { artistId, day } = input;
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`rollup:${artistId}:${day}`}, 0))`);
    await tx.execute(sql`delete from analytics_dirty_days where artist_id = ${artistId} and day = ${day}::date`);
    await tx.execute(sql`delete from analytics_daily where artist_id = ${artistId} and day = ${day}::date`);
    await tx.execute(sql`delete from analytics_daily_breakdowns where artist_id = ${artistId} and day = ${day}::date`);
    // One scan of the slice (index on artist_id, occurred_at), materialized for both inserts.
    const result = await tx.execute(sql`
      with s as materialized (
        select e.type, coalesce(e.smart_link_id, '') as link, e.visitor_hash, e.play_user_id, e.context, e.detail,
               coalesce(e.context->>'theme', e.detail->>'theme', case when e.smart_link_id is null then a.hub_theme else sl.theme end, '') as theme,
               (exists (select 1 from engagement_flags f where f.cleared_at is null and f.event_id = e.id)
                or (e.play_user_id is not null and exists (
                  select 1 from engagement_flags f
                   where f.cleared_at is null and f.play_user_id = e.play_user_id and (f.scope_from is null or f.scope_from <= e.occurred_at)))) as flagged
          from engagement_events e
          left join smart_links sl on sl.id = e.smart_link_id
          left join artists a on a.id = e.artist_id
         where e.artist_id = ${artistId}
           and e.occurred_at >= (${day}::date)::timestamp at time zone 'UTC'
           and e.occurred_at < (${day}::date + 1)::timestamp at time zone 'UTC'
      ), totals as (
        insert into analytics_daily (artist_id, day, smart_link_id, type, events, flagged, uniques, fans)
        select ${artistId}, ${day}::date, link, type,
               count(*) filter (where not flagged), count(*) filter (where flagged),
               count(distinct visitor_hash) filter (where not flagged), count(distinct play_user_id) filter (where not flagged)
          from s group by link, type
        returning 1
      ), breakdowns as (
        insert into analytics_daily_breakdowns (artist_id, dimension, day, smart_link_id, type, value, events, uniques, fans)
        select ${artistId}, d.dim, ${day}::date, s.link, s.type, d.val, count(*), count(distinct s.visitor_hash), count(distinct s.play_user_id)
          from s
          cross join lateral (
            select v.dim, v.val from (values
              ('country', coalesce(s.context->>'country', '')),
              ('referrer', coalesce(s.context->>'referrerHost', '')),
              ('utm_source', coalesce(s.context->'utm'->>'source', '')),
              ('utm_medium', coalesce(s.context->'utm'->>'medium', '')),
              ('utm_campaign', coalesce(s.context->'utm'->>'campaign', '')),
              ('device', coalesce(s.context->>'deviceClass', '')),
              ('locale', coalesce(s.context->>'locale', '')),
              ('theme', s.theme),
              ('in_app_browser', coalesce(s.context->>'inAppBrowser', '')),
              ('service', case when s.type = 'SERVICE_CLICK' then coalesce(s.detail->>'service', '') end)
            ) v(dim, val)
            union all
            select 'click_id', c.name
              from jsonb_array_elements_text(
                case when jsonb_typeof(s.context->'clickIds') = 'array' and jsonb_array_length(s.context->'clickIds') > 0
                     then s.context->'clickIds' else '[""]'::jsonb end) c(name)
          ) d
         where not s.flagged and d.val is not null
         group by d.dim, s.link, s.type, d.val
        returning 1
      )
      select (select count(*) from totals)::int as rows`);
    return { rows: Number((result.rows[0] as { rows: number }).rows) };
  });
}
