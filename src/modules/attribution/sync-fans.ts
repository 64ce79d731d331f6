import { eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import type { Db } from "../../db/client";
import { fanSyncStates } from "../../db/schema/attribution";
import { playUsers } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { isProviderError } from "../../lib/provider-error";
import type { PlayHistoryItem } from "../../providers/spotify/port";
import { REFRESH_TOKEN_LIFETIME_MS } from "../play/index";
import { createFanTokenBatch } from "../play/create-fan-token-batch";
import { enqueueConversions, type ConversionEventRef } from "../conversions/enqueue-conversions";
import { deriveStreams, type DerivedStream } from "./derive-streams";
import { findFanEngagement, type FanEngagement } from "./find-fan-engagement";
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

/** One fan's part of a batch: its result, or the non-provider error that stopped it (its job fails and is retried). */
export type SyncFansEntry = { playUserId: string; result: SyncFanResult } | { playUserId: string; error: unknown };

/** Spotify keeps a fan's last 50 plays; one page of recently played holds at most 50. */
export const RECENTLY_PLAYED_PAGE = 50;

/** Saved/followed state is re-checked after this long (ms), or sooner after a new save. */
export const LIBRARY_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Library checks per request, at worst (legacy album route: 20 ids). */
const CONTAINS_PER_REQUEST = 20;

/** What was read from Spotify for one fan, waiting for the batch's write. */
interface FanRead {
  playUserId: string;
  engagement: FanEngagement;
  afterMs: number;
  nextAfterMs: number;
  items: PlayHistoryItem[];
  saved: boolean[] | null;
  libraryCheckedAt: Date | null;
  gap: { fromAt: Date; toAt: Date } | null;
}

const emptyResult = (outcome: SyncFanOutcome): SyncFanResult => ({ outcome, streams: 0, gap: false, unsaved: 0, unfollowed: 0 });

/**
 * Job `attribution.sync-fan` for a batch of fans (the worker hands over every job of one
 * poll; see `JOB_BATCH_SIZES`): each fan's Spotify activity since its last run, with the
 * database work done once per batch — one read of the fans (sync state and sealed tokens),
 * one of their touchpoints, one take from the rate bucket, one batched token refresh when
 * access tokens expired (see `createFanTokenBatch`), and one transaction writing every
 * fan's results. Per fan:
 *
 * 1. Skips fans not `active` and stops polling a fan whose refresh token passed six months
 *    (`expired`).
 * 2. Takes tokens from the app-wide Spotify bucket; fans the budget does not cover are
 *    re-queued with `startAfter`.
 * 3. Reads recently played from the stored `after` cursor (first run: the earliest
 *    touchpoint) and records a coverage gap when a full page (50) starts after the cursor.
 * 4. Derives STREAM events (see `deriveStreams`), inserted with the (fan, track, played_at)
 *    unique index together with the new cursor, so replaying a run inserts nothing twice.
 * 5. Checks saved/followed state of ONLY the items the fan saved or followed through
 *    Backbeat (P09) and records retention — daily (`LIBRARY_CHECK_INTERVAL_MS`), or at the
 *    first sync after a new save or follow.
 *
 * Isolation: Spotify errors are per fan — a 429 re-queues that fan after `Retry-After`
 * (never sleeps); a first `invalid_grant` marks it `revocation_suspected` and queues
 * `attribution.confirm-revocation` after the configured delay (P16); 5xx/timeouts/other
 * provider answers leave it as is (`failed`). When the batch's write fails, each fan is
 * written alone, so one bad fan fails alone. Other errors are returned in that fan's entry.
 * @returns one entry per distinct id, in input order.
 */
export async function syncFans({ ctx, input }: { ctx: Ctx; input: { playUserIds: readonly string[] } }): Promise<SyncFansEntry[]> {
  const now = ctx.clock.now();
  const ids = [...new Set(input.playUserIds)];
  const entries = new Map<string, SyncFansEntry>();
  const done = (playUserId: string, result: SyncFanResult) => entries.set(playUserId, { playUserId, result });
  const order = () => ids.map((id) => entries.get(id) ?? { playUserId: id, error: new Error("fan sync: no result") });
  if (ids.length === 0) return [];

  const setState = (playUserId: string, patch: Partial<typeof fanSyncStates.$inferInsert>) =>
    ctx.db
      .insert(fanSyncStates)
      .values({ playUserId, updatedAt: now, ...patch })
      .onConflictDoUpdate({ target: fanSyncStates.playUserId, set: { updatedAt: now, ...patch } });
  // Per-fan statements below run only off the steady path (expired, errors, re-queues).
  const guarded = async (playUserId: string, work: () => Promise<SyncFanResult>) => {
    try {
      done(playUserId, await work());
    } catch (error) {
      entries.set(playUserId, { playUserId, error });
    }
  };

  // 1. The fans, their sync state and sealed tokens: one read.
  const rows = await ctx.db
    .select({
      id: playUsers.id,
      consentedAt: playUsers.consentedAt,
      accessTokenSealed: playUsers.accessTokenSealed,
      refreshTokenSealed: playUsers.refreshTokenSealed,
      accessTokenExpiresAt: playUsers.accessTokenExpiresAt,
      scopes: playUsers.scopes,
      status: fanSyncStates.status,
      afterMs: fanSyncStates.afterMs,
      libraryCheckedAt: fanSyncStates.libraryCheckedAt,
    })
    .from(playUsers)
    .leftJoin(fanSyncStates, eq(fanSyncStates.playUserId, playUsers.id))
    .where(inArray(playUsers.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const active: typeof rows = [];
  for (const id of ids) {
    const fan = byId.get(id);
    if (!fan) done(id, emptyResult("gone"));
    else if (fan.status !== null && fan.status !== "active") done(id, emptyResult("not_active"));
    else if (fan.consentedAt.getTime() + REFRESH_TOKEN_LIFETIME_MS <= now.getTime()) {
      await guarded(id, async () => {
        await setState(id, { status: "expired", lastError: "refresh token older than six months" });
        ctx.logger.info({ playUserId: id }, "fan sync stopped: consent expired");
        return emptyResult("expired");
      });
    } else active.push(fan);
  }
  if (active.length === 0) return order();

  // 2. Touchpoints of every remaining fan: one read.
  const engagements = await findFanEngagement({ ctx, input: { playUserIds: active.map((f) => f.id) } });
  const engaged = active.filter((fan) => {
    if (engagements.get(fan.id)!.releases.length > 0) return true;
    done(fan.id, emptyResult("no_engagement"));
    return false;
  });
  if (engaged.length === 0) return order();

  // 3. The app-wide budget: one take for the batch; fans it does not cover wait their turn.
  const budget = await takeRateTokens({
    ctx,
    input: {
      bucket: "spotify",
      needs: engaged.map((fan) => 1 + Math.ceil(engagements.get(fan.id)!.libraryItems.length / CONTAINS_PER_REQUEST)),
      ratePerSecond: ctx.config.fanSync.ratePerSecond,
      capacity: ctx.config.fanSync.rateBurst,
    },
  });
  const granted = engaged.slice(0, budget.granted);
  const waiting = engaged.slice(budget.granted);
  if (waiting.length > 0) {
    await ctx.jobs.sendBatch(
      "attribution.sync-fan",
      waiting.map((fan, i) => ({ data: { playUserId: fan.id }, options: requeueOptions(ctx, fan.id, budget.retryAfterMs[i]!) })),
    );
    for (const fan of waiting) {
      done(fan.id, emptyResult("rescheduled"));
      ctx.logger.info({ playUserId: fan.id }, "fan sync rescheduled (rate limit)");
    }
  }

  // 4. Spotify, every fan at once (the work waits on Spotify, not on CPU). Tokens found
  // stale are refreshed together: one locked re-read and one write for the batch.
  const tokenStore = createFanTokenBatch(ctx, granted);
  const reads: FanRead[] = [];
  await Promise.all(
    granted.map(async (fan) => {
      const engagement = engagements.get(fan.id)!;
      const api = ctx.music.forFan(tokenStore(fan.id), { background: true });
      const afterMs = fan.afterMs ?? engagement.earliestAt?.getTime() ?? now.getTime();
      // Saved/followed state changes slowly: checked daily, or at once after a new save/follow.
      const checkedAt = fan.libraryCheckedAt;
      const checkLibrary =
        engagement.libraryItems.length > 0 &&
        (checkedAt === null ||
          now.getTime() - checkedAt.getTime() >= LIBRARY_CHECK_INTERVAL_MS ||
          engagement.libraryItems.some((i) => i.touchpoint.occurredAt.getTime() > checkedAt.getTime()));
      try {
        const page = await api.recentlyPlayed({ afterMs, limit: RECENTLY_PLAYED_PAGE });
        const saved = checkLibrary ? await api.libraryContains(engagement.libraryItems.map((i) => i.uri)) : null;
        const oldest = page.items.reduce((min, it) => Math.min(min, it.playedAt.getTime()), Number.POSITIVE_INFINITY);
        // Only the last 50 plays exist: a full page that starts after our cursor means plays
        // in between may be gone.
        const gap = page.items.length >= RECENTLY_PLAYED_PAGE && oldest > afterMs;
        reads.push({
          playUserId: fan.id,
          engagement,
          afterMs,
          // The cursor only moves forward.
          nextAfterMs: Math.max(afterMs, page.nextAfterMs ?? afterMs),
          items: page.items,
          saved,
          libraryCheckedAt: saved ? now : fan.libraryCheckedAt,
          gap: gap ? { fromAt: new Date(afterMs), toAt: new Date(oldest) } : null,
        });
      } catch (err) {
        await guarded(fan.id, () => handleProviderError(ctx, fan.id, err, setState));
      }
    }),
  );
  if (reads.length === 0) return order();

  // 5. Every fan's results in one transaction; on failure, fan by fan.
  try {
    const results = await ctx.db.transaction((tx) => writeSyncResults({ ...ctx, db: tx }, reads));
    for (const [id, result] of results) done(id, result);
  } catch (batchError) {
    if (reads.length === 1) entries.set(reads[0]!.playUserId, { playUserId: reads[0]!.playUserId, error: batchError });
    else {
      for (const read of reads) {
        await guarded(read.playUserId, async () => (await ctx.db.transaction((tx) => writeSyncResults({ ...ctx, db: tx }, [read]))).get(read.playUserId)!);
      }
    }
  }
  for (const read of reads) {
    if (read.gap && entries.get(read.playUserId) && !("error" in entries.get(read.playUserId)!)) {
      ctx.logger.warn({ playUserId: read.playUserId, from: read.gap.fromAt.toISOString(), to: read.gap.toAt.toISOString() }, "fan sync coverage gap: plays may have been missed");
    }
  }
  return order();
}

/**
 * Writes what was read for a batch of fans; `ctx.db` is a transaction. Retention rows and
 * UNSAVE/UNFOLLOW events, coverage gaps, then the STREAM events (`insertStreamEvents`) and
 * the cursors — all or nothing, so a replay after a crash reads the same plays and the
 * dedupe index keeps one row each.
 */
async function writeSyncResults(ctx: Ctx, reads: readonly FanRead[]): Promise<Map<string, SyncFanResult>> {
  const now = ctx.clock.now();
  const results = new Map(reads.map((r) => [r.playUserId, { ...emptyResult("synced"), gap: r.gap !== null }]));
  const checked = reads.filter((r) => r.saved !== null);
  if (checked.length > 0) {
    const retention = await recordRetention({ ctx, input: { fans: checked.map((r) => ({ playUserId: r.playUserId, items: r.engagement.libraryItems, saved: r.saved! })) } });
    checked.forEach((r, i) => Object.assign(results.get(r.playUserId)!, retention[i]));
  }
  const gaps = reads.filter((r) => r.gap !== null);
  if (gaps.length > 0) {
    await ctx.db.execute(sql`
      insert into fan_sync_gaps (id, play_user_id, from_at, to_at, detected_at)
      select v.id, v.play_user_id, v.from_at, v.to_at, ${now}::timestamptz
        from json_to_recordset(${JSON.stringify(gaps.map((r) => ({ id: newId("syncGap", now), play_user_id: r.playUserId, from_at: r.gap!.fromAt.toISOString(), to_at: r.gap!.toAt.toISOString() })))}::json)
          as v(id text, play_user_id text, from_at timestamptz, to_at timestamptz)`);
  }
  const streams = reads.flatMap((r) => deriveStreams({ items: r.items, releases: r.engagement.releases }).streams.map((stream) => ({ playUserId: r.playUserId, stream })));
  const inserted = await insertStreamEvents(ctx.db, now, streams);
  for (const row of inserted) results.get(row.playUserId)!.streams += 1;
  // The new streams' conversion outbox rows, in this same transaction (conversions README, invariant 1).
  if (inserted.length > 0) await enqueueConversions({ ctx, input: { events: inserted.map((row) => row.event) } });
  await advanceCursors(ctx.db, now, reads);
  return results;
}

/**
 * THE place STREAM events are written (inside the sync transaction): one statement for the
 * batch, deduped on (fan, track, played_at) by `engagement_events_stream_uq` (a replay
 * inserts nothing), marking the analytics days they land on in the same statement (see
 * update-rollups.ts). Whatever must be written with new streams (e.g. conversion outbox
 * rows) belongs next to this call, in the same transaction.
 * @returns the rows actually inserted (fan, and the event as `enqueueConversions` takes it).
 */
async function insertStreamEvents(db: Db, now: Date, streams: ReadonlyArray<{ playUserId: string; stream: DerivedStream }>): Promise<Array<{ playUserId: string; event: ConversionEventRef }>> {
  if (streams.length === 0) return [];
  const list = streams.map(({ playUserId, stream: s }) => ({
      id: newId("event", s.playedAt),
      type: "STREAM",
      occurred_at: s.playedAt.toISOString(),
      artist_id: s.artistId,
      smart_link_id: s.smartLinkId,
      play_user_id: playUserId,
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
  const result = await db.execute(sql`
    with inserted as (
      insert into engagement_events (id, type, occurred_at, artist_id, smart_link_id, play_user_id, visitor_hash, context, detail)
      select r.id, r.type, r.occurred_at, r.artist_id, r.smart_link_id, r.play_user_id, r.visitor_hash, r.context, r.detail
        from json_populate_recordset(null::engagement_events, ${rows}::json) r
      on conflict do nothing
      returning id, play_user_id, artist_id, occurred_at
    ), marked as (
      insert into analytics_dirty_days (artist_id, day, marked_at)
      select distinct artist_id, (occurred_at at time zone 'UTC')::date, ${now}::timestamptz from inserted
      on conflict do nothing
    )
    select id, play_user_id from inserted`);
  const byId = new Map(list.map((r) => [r.id, r]));
  return (result.rows as Array<{ id: string; play_user_id: string }>).map((r) => {
    const row = byId.get(r.id)!;
    return { playUserId: r.play_user_id, event: { id: r.id, type: "STREAM", artistId: row.artist_id, playUserId: r.play_user_id, occurredAt: new Date(row.occurred_at), detail: row.detail } };
  });
}

/** Each fan's new cursor (only ever forward), last sync and library check: one statement. */
async function advanceCursors(db: Db, now: Date, reads: readonly FanRead[]): Promise<void> {
  const values = JSON.stringify(reads.map((r) => ({ id: r.playUserId, after_ms: r.nextAfterMs, checked: r.libraryCheckedAt?.toISOString() ?? null })));
  await db.execute(sql`
    insert into fan_sync_states (play_user_id, status, after_ms, last_synced_at, library_checked_at, last_error, updated_at)
    select v.id, 'active', v.after_ms, ${now}::timestamptz, v.checked, null, ${now}::timestamptz
      from json_to_recordset(${values}::json) as v(id text, after_ms bigint, checked timestamptz)
    on conflict (play_user_id) do update
      set status = 'active', after_ms = greatest(fan_sync_states.after_ms, excluded.after_ms), last_synced_at = excluded.last_synced_at,
          library_checked_at = excluded.library_checked_at, last_error = null, updated_at = excluded.updated_at`);
}

/** A Spotify error for one fan → its outcome (and the state / follow-up job it implies). Non-provider errors are rethrown. */
async function handleProviderError(
  ctx: Ctx,
  playUserId: string,
  err: unknown,
  setState: (playUserId: string, patch: Partial<typeof fanSyncStates.$inferInsert>) => PromiseLike<unknown>,
): Promise<SyncFanResult> {
  const now = ctx.clock.now();
  if (isProviderError(err, "rate_limited")) {
    const options = requeueOptions(ctx, playUserId, err.retryAfterMs ?? 1000);
    await ctx.jobs.send("attribution.sync-fan", { playUserId }, options);
    ctx.logger.info({ playUserId, startAfter: options.startAfter.toISOString() }, "fan sync rescheduled (rate limit)");
    return emptyResult("rescheduled");
  }
  if (isProviderError(err, "invalid_grant")) {
    // One answer is not proof (P16): confirm later before deleting anything.
    await setState(playUserId, { status: "revocation_suspected", suspectedAt: now, lastError: "invalid_grant" });
    await ctx.jobs.send(
      "attribution.confirm-revocation",
      { playUserId },
      { singletonKey: playUserId, startAfter: new Date(now.getTime() + ctx.config.fanSync.revocationConfirmDelayMs) },
    );
    ctx.logger.warn({ playUserId }, "fan sync: invalid_grant, confirmation queued");
    return emptyResult("revocation_suspected");
  }
  if (isProviderError(err)) {
    await setState(playUserId, { lastError: `${err.kind}: ${err.message}`.slice(0, 300) });
    ctx.logger.warn({ playUserId, kind: err.kind }, "fan sync failed; kept for the next run");
    return emptyResult("failed");
  }
  throw err;
}

/** A later run of this fan's sync (the job's singleton key keeps it single), at least 1 s out. */
function requeueOptions(ctx: Ctx, playUserId: string, delayMs: number): { singletonKey: string; startAfter: Date } {
  return { singletonKey: playUserId, startAfter: new Date(ctx.clock.now().getTime() + Math.max(1000, delayMs)) };
}
