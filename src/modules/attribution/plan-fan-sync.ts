import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { TOUCHPOINT_TYPES } from "./find-fan-engagement";

/** Sync jobs are spread over this period after the planner runs (it runs hourly). */
export const FAN_SYNC_SPREAD_MS = 60 * 60 * 1000;
const BATCH = 1000;

/** Stable offset in [0, spread) for a fan (FNV-1a of the id): each fan keeps its minute. */
function fanSyncOffsetMs(playUserId: string, spreadMs: number = FAN_SYNC_SPREAD_MS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < playUserId.length; i++) {
    h ^= playUserId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % spreadMs;
}

/**
 * Job `attribution.plan-fan-sync` (hourly): queues one `attribution.sync-fan` per authorized
 * fan with an AUTH / SAVE_TRACK / FOLLOW_ARTIST / PRESAVE event through a smart link inside
 * the artist's attribution window (`artists.attribution_window_days`, default 28), whose
 * sync state is `active` (or who was never synced). Each job starts at the fan's stable
 * offset within the hour (`startAfter`), so Spotify sees an even load; the singleton key
 * (the Play user id) keeps one job per fan queued or running — a fan is never synced twice
 * at once and a re-run of the planner adds nothing.
 * @returns `{ fans }` — fans planned this run.
 */
export async function planFanSync({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<{ fans: number }> {
  const now = ctx.clock.now();
  const types = sql.join(
    TOUCHPOINT_TYPES.map((t) => sql`${t}`),
    sql`, `,
  );
  const result = await ctx.db.execute(sql`
    select distinct e.play_user_id as id
      from engagement_events e
      join artists a on a.id = e.artist_id
      join play_users u on u.id = e.play_user_id
      left join fan_sync_states s on s.play_user_id = e.play_user_id
     where e.play_user_id is not null
       and e.smart_link_id is not null
       and e.type in (${types})
       and e.occurred_at >= ${now}::timestamptz - make_interval(days => a.attribution_window_days)
       and (s.status is null or s.status = 'active')`);
  const ids = (result.rows as Array<{ id: string }>).map((r) => r.id);
  for (let i = 0; i < ids.length; i += BATCH) {
    await ctx.jobs.sendBatch(
      "attribution.sync-fan",
      ids.slice(i, i + BATCH).map((playUserId) => ({
        data: { playUserId },
        options: { singletonKey: playUserId, startAfter: new Date(now.getTime() + fanSyncOffsetMs(playUserId)) },
      })),
    );
  }
  ctx.logger.info({ fans: ids.length }, "fan sync planned");
  return { fans: ids.length };
}
