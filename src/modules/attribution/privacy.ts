import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents } from "../../db/schema/attribution";

/**
 * Attribution's data-subject hooks for a Play user.
 * `exportFanEvents`: the fan's engagement events (machine-readable, no visitor hash).
 * `eraseFanEvents`: deletes them now (P17 allows 14 days; we do not wait). The analytics
 * rollups built from them follow: the `(artist, day)` slices the fan had events in are
 * marked dirty in the same statement, and `attribution.update-rollups` (every minute)
 * recomputes them from the remaining events. Rollups hold counts only, never the fan's
 * identity; until that run the counts still include the erased events.
 */
export async function exportFanEvents({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }) {
  const rows = await ctx.db.select().from(engagementEvents).where(eq(engagementEvents.playUserId, input.playUserId)).orderBy(engagementEvents.id);
  return rows.map(({ visitorHash: _hash, writtenXid: _xid, ...event }) => event);
}

export async function eraseFanEvents({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ deleted: number }> {
  const result = await ctx.db.execute(sql`
    with deleted as (
      delete from engagement_events where play_user_id = ${input.playUserId}
      returning artist_id, occurred_at
    ), marked as (
      insert into analytics_dirty_days (artist_id, day, marked_at)
      select distinct artist_id, (occurred_at at time zone 'UTC')::date, ${ctx.clock.now().toISOString()}::timestamptz from deleted
      on conflict (artist_id, day) do update set marked_at = excluded.marked_at
    )
    select count(*)::int as n from deleted`);
  return { deleted: Number((result.rows[0] as { n: number }).n) };
}
