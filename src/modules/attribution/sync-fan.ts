import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { enqueueConversions } from "../conversions/enqueue-conversions";
import { fanSyncGaps, fanSyncStates } from "../../db/schema/attribution";
import { playUsers } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { isProviderError } from "../../lib/provider-error";
import { createFanTokenStore, REFRESH_TOKEN_LIFETIME_MS } from "../play/index";
import { deriveStreams, type DerivedStream } from "./derive-streams";
import { findFanEngagement } from "./find-fan-engagement";
import { recordRetention } from "./record-retention";
import { takeRateTokens } from "./take-rate-tokens";

export type SyncFanOutcome =
  | "synced"
  | "gone" // the Play user no longer exists
  | "not_active" // expired, revocation suspected or deletion paused: not polled
  | "expired" // refresh token older than six months: polling stops here
  | "no_engagement" // nothing inside a window any more
  | "rescheduled" // rate limited (ours or Spotify's 429): a later job was queued
  | "revocation_suspected" // first invalid_grant: a confirmation job was queued
  | "failed"; // 5xx, timeout or an odd answer: kept as is, tried at the next run

export interface SyncFanResult {
  outcome: SyncFanOutcome;
  streams: number;
  gap: boolean;
  unsaved: number;
  unfollowed: number;
}

/** Spotify keeps a fan's last 50 plays; one page of recently played holds at most 50. */
export const RECENTLY_PLAYED_PAGE = 50;

/** Saved/followed state is re-checked after this long (ms), or sooner after a new save. */
export const LIBRARY_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Library checks per request, at worst (legacy album route: 20 ids). */
const CONTAINS_PER_REQUEST = 20;

/**
 * Job `attribution.sync-fan` `{ playUserId }`: one fan's Spotify activity since the last run.
 *
 * 1. Skips fans not `active` and stops polling a fan whose refresh token passed six months
 *    (`expired`).
 * 2. Takes tokens from the app-wide Spotify bucket; none → re-queued with `startAfter`.
 * 3. Reads recently played from the stored `after` cursor (first run: the earliest
 *    touchpoint) and records a coverage gap when a full page (50) starts after the cursor.
 * 4. Derives STREAM events (see `deriveStreams`), inserted with the (fan, track, played_at)
 *    unique index together with the new cursor (one statement), so replaying a run
 *    inserts nothing twice.
 * 5. Checks saved/followed state of ONLY the items the fan saved or followed through
 *    Backbeat (P09) and records retention — daily (`LIBRARY_CHECK_INTERVAL_MS`), or at the
 *    first sync after a new save or follow.
 * Errors: a 429 re-queues the job after `Retry-After` (never sleeps); a first
 * `invalid_grant` marks the fan `revocation_suspected` and queues
 * `attribution.confirm-revocation` after the configured delay (P16); 5xx/timeouts/other
 * provider answers leave everything as is (`failed`). Non-provider errors propagate.
 */
export async function syncFan({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<SyncFanResult> {
  const result: SyncFanResult = { outcome: "synced", streams: 0, gap: false, unsaved: 0, unfollowed: 0 };
  const now = ctx.clock.now();
  const { playUserId } = input;
  const [fan] = await ctx.db
    .select({
      consentedAt: playUsers.consentedAt,
      status: fanSyncStates.status,
      afterMs: fanSyncStates.afterMs,
      libraryCheckedAt: fanSyncStates.libraryCheckedAt,
    })
    .from(playUsers)
    .leftJoin(fanSyncStates, eq(fanSyncStates.playUserId, playUsers.id))
    .where(eq(playUsers.id, playUserId));
  if (!fan) return { ...result, outcome: "gone" };
  if (fan.status !== null && fan.status !== "active") return { ...result, outcome: "not_active" };

  const setState = (patch: Partial<typeof fanSyncStates.$inferInsert>, db = ctx.db) =>
    db
      .insert(fanSyncStates)
      .values({ playUserId, updatedAt: now, ...patch })
      .onConflictDoUpdate({ target: fanSyncStates.playUserId, set: { updatedAt: now, ...patch } });

  if (fan.consentedAt.getTime() + REFRESH_TOKEN_LIFETIME_MS <= now.getTime()) {
    await setState({ status: "expired", lastError: "refresh token older than six months" });
    ctx.logger.info({ playUserId }, "fan sync stopped: consent expired");
    return { ...result, outcome: "expired" };
  }

  const engagement = await findFanEngagement({ ctx, input: { playUserId } });
  if (engagement.releases.length === 0) return { ...result, outcome: "no_engagement" };

  const requests = 1 + Math.ceil(engagement.libraryItems.length / CONTAINS_PER_REQUEST);
  const budget = await takeRateTokens({
    ctx,
    input: { bucket: "spotify", tokens: requests, ratePerSecond: ctx.config.fanSync.ratePerSecond, capacity: ctx.config.fanSync.rateBurst },
  });
  if (!budget.granted) {
    await requeue(ctx, playUserId, budget.retryAfterMs);
    return { ...result, outcome: "rescheduled" };
  }

  const api = ctx.music.forFan(createFanTokenStore(ctx, playUserId), { background: true });
  const afterMs = fan.afterMs ?? engagement.earliestAt?.getTime() ?? now.getTime();
  // Saved/followed state changes slowly: checked daily, or at once after a new save/follow.
  const checkLibrary =
    engagement.libraryItems.length > 0 &&
    (fan.libraryCheckedAt === null ||
      now.getTime() - fan.libraryCheckedAt.getTime() >= LIBRARY_CHECK_INTERVAL_MS ||
      engagement.libraryItems.some((i) => i.touchpoint.occurredAt.getTime() > fan.libraryCheckedAt!.getTime()));
  try {
    const page = await api.recentlyPlayed({ afterMs, limit: RECENTLY_PLAYED_PAGE });
    const saved = checkLibrary ? await api.libraryContains(engagement.libraryItems.map((i) => i.uri)) : null;
    const derived = deriveStreams({ items: page.items, releases: engagement.releases });

    const oldest = page.items.reduce((min, it) => Math.min(min, it.playedAt.getTime()), Number.POSITIVE_INFINITY);
    // Only the last 50 plays exist: a full page that starts after our cursor means plays in
    // between may be gone.
    result.gap = page.items.length >= RECENTLY_PLAYED_PAGE && oldest > afterMs;

    // Side records first, streams and cursor last in one statement: a crash in between
    // re-reads the same plays next time, and the dedupe index keeps one row each.
    if (saved) {
      // State flip and UNSAVE/UNFOLLOW event together, or neither.
      const retention = await ctx.db.transaction((tx) => recordRetention({ ctx: { ...ctx, db: tx }, input: { playUserId, items: engagement.libraryItems, saved } }));
      result.unsaved = retention.unsaved;
      result.unfollowed = retention.unfollowed;
    }
    if (result.gap) {
      await ctx.db.insert(fanSyncGaps).values({ id: newId("syncGap", now), playUserId, fromAt: new Date(afterMs), toAt: new Date(oldest), detectedAt: now });
      ctx.logger.warn({ playUserId, from: new Date(afterMs).toISOString(), to: new Date(oldest).toISOString() }, "fan sync coverage gap: plays may have been missed");
    }
    // The cursor only moves forward.
    const next = Math.max(afterMs, page.nextAfterMs ?? afterMs);
    result.streams = await writeStreamsAndCursor(ctx, {
      playUserId,
      streams: derived.streams,
      afterMs: next,
      libraryCheckedAt: saved ? now : fan.libraryCheckedAt,
    });
    return result;
  } catch (err) {
    if (isProviderError(err, "rate_limited")) {
      await requeue(ctx, playUserId, err.retryAfterMs ?? 1000);
      return { ...result, outcome: "rescheduled" };
    }
    if (isProviderError(err, "invalid_grant")) {
      // One answer is not proof (P16): confirm later before deleting anything.
      await setState({ status: "revocation_suspected", suspectedAt: now, lastError: "invalid_grant" });
      await ctx.jobs.send(
        "attribution.confirm-revocation",
        { playUserId },
        { singletonKey: playUserId, startAfter: new Date(now.getTime() + ctx.config.fanSync.revocationConfirmDelayMs) },
      );
      ctx.logger.warn({ playUserId }, "fan sync: invalid_grant, confirmation queued");
      return { ...result, outcome: "revocation_suspected" };
    }
    if (isProviderError(err)) {
      await setState({ lastError: `${err.kind}: ${err.message}`.slice(0, 300) });
      ctx.logger.warn({ playUserId, kind: err.kind }, "fan sync failed; kept for the next run");
      return { ...result, outcome: "failed" };
    }
    throw err;
  }
}

/**
 * STREAM rows and the fan's new cursor in one statement, and the inserted STREAMs'
 * conversion outbox rows (`enqueueConversions`), in one transaction.
 * @returns STREAM rows actually inserted (replays insert none).
 */
async function writeStreamsAndCursor(ctx: Ctx, input: Parameters<typeof writeStreams>[1]): Promise<number> {
  return ctx.db.transaction((tx) => writeStreams({ ...ctx, db: tx }, input));
}

async function writeStreams(
  ctx: Ctx,
  input: { playUserId: string; streams: DerivedStream[]; afterMs: number; libraryCheckedAt: Date | null },
): Promise<number> {
  const now = ctx.clock.now();
  const list = input.streams.map((s) => ({
      id: newId("event", s.playedAt),
      type: "STREAM",
      occurred_at: s.playedAt.toISOString(),
      artist_id: s.artistId,
      smart_link_id: s.smartLinkId,
      play_user_id: input.playUserId,
      visitor_hash: s.touchpoint.visitorHash,
      context: s.touchpoint.context,
      detail: {
        trackId: s.trackId,
        ...(s.servedTrackId ? { servedTrackId: s.servedTrackId } : {}),
        attribution: "last_touch",
        touchpoint: { eventId: s.touchpoint.eventId, type: s.touchpoint.type, occurredAt: s.touchpoint.occurredAt.toISOString() },
      },
    }));
  const rows = JSON.stringify(list);
  const result = await ctx.db.execute(sql`
    with inserted as (
      insert into engagement_events (id, type, occurred_at, artist_id, smart_link_id, play_user_id, visitor_hash, context, detail)
      select r.id, r.type, r.occurred_at, r.artist_id, r.smart_link_id, r.play_user_id, r.visitor_hash, r.context, r.detail
        from json_populate_recordset(null::engagement_events, ${rows}::json) r
      on conflict do nothing
      returning id, artist_id, occurred_at
    ), marked as (
      -- The analytics days these streams land on, in the same statement (see update-rollups.ts).
      insert into analytics_dirty_days (artist_id, day, marked_at)
      select distinct artist_id, (occurred_at at time zone 'UTC')::date, ${now}::timestamptz from inserted
      on conflict do nothing
    ), state as (
      insert into fan_sync_states (play_user_id, status, after_ms, last_synced_at, library_checked_at, last_error, updated_at)
      values (${input.playUserId}, 'active', ${input.afterMs}, ${now}, ${input.libraryCheckedAt}, null, ${now})
      on conflict (play_user_id) do update
        set status = 'active', after_ms = greatest(fan_sync_states.after_ms, excluded.after_ms), last_synced_at = excluded.last_synced_at,
            library_checked_at = excluded.library_checked_at, last_error = null, updated_at = excluded.updated_at
      returning 1
    )
    select (select count(*) from inserted)::int as inserted, (select count(*) from state)::int as state, (select coalesce(json_agg(id), '[]') from inserted)::text as ids`);
  const done = new Set(JSON.parse((result.rows[0] as { ids: string }).ids) as string[]);
  await enqueueConversions({ ctx, input: { events: list.filter((r) => done.has(r.id)).map((r) => ({ id: r.id, type: r.type, artistId: r.artist_id, playUserId: r.play_user_id, occurredAt: new Date(r.occurred_at), detail: r.detail })) } });
  return Number((result.rows[0] as { inserted: number }).inserted);
}

/** Re-queues this fan's sync after `delayMs` (the job's singleton key keeps it single). */
async function requeue(ctx: Ctx, playUserId: string, delayMs: number): Promise<void> {
  const startAfter = new Date(ctx.clock.now().getTime() + Math.max(1000, delayMs));
  await ctx.jobs.send("attribution.sync-fan", { playUserId }, { singletonKey: playUserId, startAfter });
  ctx.logger.info({ playUserId, startAfter: startAfter.toISOString() }, "fan sync rescheduled (rate limit)");
}
