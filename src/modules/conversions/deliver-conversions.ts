import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents, type LandingContext } from "../../db/schema/attribution";
import { conversionAttempts, conversionDestinations, conversionEventMappings, conversionOutbox, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { newId } from "../../lib/ids";
import { open } from "../../lib/seal";
import type { SinkClickIds, SinkEvent, SinkOutcome } from "../../providers/conversion-sink/port";
import { hashIdentifier } from "./hash-identifier";
import { resolveEventMapping } from "./resolve-event-mapping";

/** How old an event each platform still takes (Meta, Reddit: 7 days; Google click conversions: 90). A minute of margin for the trip. */
const MAX_AGE_MS: Record<ConversionPlatform, number> = { meta: 7 * 86_400_000 - 60_000, reddit: 7 * 86_400_000 - 60_000, google: 90 * 86_400_000 - 60_000 };
/** Retry delays: 30 s · 2^(attempt-1), capped at 1 h (deterministic: one destination's rows move together anyway). */
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;
/** Stop after this many batches in one job run, so one destination cannot hold a worker for ever. */
const MAX_BATCHES_PER_RUN = 200;

const CLICK_ID = /^[A-Za-z0-9._\-~]{1,500}$/;

/** The click ids the consent side stored on the event (`detail.clickIds`), re-checked: only strings of a sane charset pass. */
function readClickIds(detail: Record<string, unknown>): SinkClickIds {
  const raw = detail.clickIds;
  if (!raw || typeof raw !== "object") return {};
  const out: SinkClickIds = {};
  for (const key of ["gclid", "gbraid", "wbraid", "fbc", "fbp", "rdtCid"] as const) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === "string" && CLICK_ID.test(v)) out[key] = v;
  }
  return out;
}

/** The click id this platform attributes with; without it we do not send (the fan did not come from this platform's ad). */
function platformClickKeys(platform: ConversionPlatform, ids: SinkClickIds): string[] {
  if (platform === "meta") return ids.fbc ? ["fbc", ...(ids.fbp ? ["fbp"] : [])] : [];
  if (platform === "google") return ids.gclid ? ["gclid"] : ids.gbraid ? ["gbraid"] : ids.wbraid ? ["wbraid"] : [];
  return ids.rdtCid ? ["rdt_cid"] : [];
}

interface RowOutcome {
  outboxId: string;
  attempts: number;
  /** Names of the match keys sent (stored with the outcome). */
  matchKeys?: string[];
  outcome: SinkOutcome | { status: "dropped"; reason: string };
  httpStatus: number | undefined;
  excerpt: string;
  durationMs: number;
}

/**
 * Delivers one destination's due outbox rows (job `conversions.deliver`, `{ destinationId }`).
 * Per batch (≤ `CONVERSIONS_BATCH_SIZE` and the platform's batch limit):
 * 1. drops, without sending, rows of fans without ad consent or with restricted processing
 *    (`consent_withdrawn`, P12 — asked of `ctx.conversions.consent`), events excluded by an
 *    open fraud flag (`flagged`: the analytics rule of `engagement_flags`), events too old for the
 *    platform (`stale_event`), events without this platform's click id (`no_click_id`);
 * 2. builds the events (platform event name + value from the mapping, identifiers hashed
 *    with the platform's normalization; event id = engagement event id) and sends them;
 * 3. records each row's outcome and one `conversion_attempts` row: accepted → `delivered`;
 *    rejected → `rejected` with the platform's reason; retryable → stays `pending` with
 *    `next_attempt_at` = now + max(Retry-After, backoff), and a delivery job is scheduled
 *    for then (`startAfter`); after `CONVERSIONS_MAX_ATTEMPTS` → `rejected`
 *    (`attempts_exhausted: …`); refused with a batch (all-or-nothing APIs) → resent alone.
 * A rate-limited / failing destination stops this run. Replays send nothing twice: only
 * `pending` rows are read, and the platforms dedupe on the event id besides.
 * @returns counts per outcome.
 */
export async function deliverConversions({ ctx, input }: { ctx: Ctx; input: { destinationId: string } }): Promise<Record<"delivered" | "rejected" | "retry" | "dropped", number>> {
  const counts = { delivered: 0, rejected: 0, retry: 0, dropped: 0 };
  const [destination] = await ctx.db.select().from(conversionDestinations).where(eq(conversionDestinations.id, input.destinationId));
  if (!destination) return counts;
  const platform = destination.platform;
  const sink = ctx.conversions.sinks[platform];
  const batchSize = Math.min(ctx.config.conversions.batchSize, sink.batchLimit);
  const accessToken = open(ctx.config.keyRing, { table: "conversion_destinations", column: "access_token", rowId: destination.id }, destination.accessTokenSealed);
  const overrides = await ctx.db.select().from(conversionEventMappings).where(eq(conversionEventMappings.artistId, destination.artistId));

  for (let batchNo = 0; batchNo < MAX_BATCHES_PER_RUN; batchNo++) {
    const now = ctx.clock.now();
    const rows = await ctx.db
      .select({
        outboxId: conversionOutbox.id,
        attempts: conversionOutbox.attempts,
        eventId: engagementEvents.id,
        type: engagementEvents.type,
        occurredAt: engagementEvents.occurredAt,
        playUserId: engagementEvents.playUserId,
        context: engagementEvents.context,
        detail: engagementEvents.detail,
        // The analytics flag rule (recompute-rollup-day.ts): an open flag on the event, or on
        // its fan from `scope_from` on, excludes it — from ad platforms too.
        flagged: sql<boolean>`(exists (select 1 from engagement_flags f where f.cleared_at is null and f.event_id = ${engagementEvents.id})
          or (${engagementEvents.playUserId} is not null and exists (select 1 from engagement_flags f
                where f.cleared_at is null and f.play_user_id = ${engagementEvents.playUserId} and (f.scope_from is null or f.scope_from <= ${engagementEvents.occurredAt}))))`,
      })
      .from(conversionOutbox)
      .innerJoin(engagementEvents, eq(engagementEvents.id, conversionOutbox.eventId))
      .where(and(eq(conversionOutbox.destinationId, destination.id), eq(conversionOutbox.status, "pending"), lte(conversionOutbox.nextAttemptAt, now)))
      .orderBy(asc(conversionOutbox.nextAttemptAt), asc(conversionOutbox.id))
      .limit(batchSize);
    if (rows.length === 0) break;

    const results: RowOutcome[] = [];
    const drop = (r: (typeof rows)[number], reason: string) => results.push({ outboxId: r.outboxId, attempts: r.attempts, outcome: { status: "dropped", reason }, httpStatus: undefined, excerpt: reason, durationMs: 0 });

    if (!destination.enabled) {
      for (const r of rows) drop(r, "destination_disabled");
    } else {
      // One consent question per fan (or anonymous consent subject) in the batch.
      const consent = new Map<string, boolean>();
      for (const r of rows) {
        const subject = typeof r.detail.consentSubject === "string" ? r.detail.consentSubject : null;
        const key = `${r.playUserId ?? ""}|${subject ?? ""}`;
        if (!consent.has(key)) consent.set(key, r.playUserId || subject ? await ctx.conversions.consent.hasAdConsent({ playUserId: r.playUserId, consentSubject: subject }) : false);
      }
      const sendable: Array<{ row: (typeof rows)[number]; event: SinkEvent; matchKeys: string[] }> = [];
      for (const r of rows) {
        const subject = typeof r.detail.consentSubject === "string" ? r.detail.consentSubject : null;
        if (!consent.get(`${r.playUserId ?? ""}|${subject ?? ""}`)) {
          drop(r, "consent_withdrawn");
          continue;
        }
        if (r.flagged) {
          drop(r, "flagged");
          continue;
        }
        if (now.getTime() - r.occurredAt.getTime() > MAX_AGE_MS[platform]) {
          drop(r, "stale_event");
          continue;
        }
        const mapping = resolveEventMapping(platform, r.type, overrides);
        if (!mapping) {
          drop(r, "mapping_disabled");
          continue;
        }
        const clickIds = readClickIds(r.detail);
        const clickKeys = platformClickKeys(platform, clickIds);
        if (clickKeys.length === 0) {
          drop(r, "no_click_id");
          continue;
        }
        const externalId = r.playUserId ? [hashIdentifier(platform, "external_id", r.playUserId)] : [];
        const context = r.context as LandingContext;
        sendable.push({
          row: r,
          matchKeys: [...clickKeys, ...(externalId.length ? ["external_id"] : [])],
          event: {
            eventId: r.eventId,
            eventName: mapping.eventName,
            eventTimeMs: r.occurredAt.getTime(),
            sourceUrl: `${ctx.config.publicUrl}${context.path ?? "/"}`,
            value: mapping.value,
            clickIds,
            hashed: { externalId },
          },
        });
      }
      if (sendable.length > 0) {
        const byEvent = new Map(sendable.map((s) => [s.event.eventId, s.row]));
        const keysOf = new Map(sendable.map((s) => [s.event.eventId, s.matchKeys]));
        const dest = { accountId: destination.accountId, conversionActionId: destination.conversionActionId, accessToken, testCode: destination.testCode };
        const started = performance.now();
        const result = await sink.send({ destination: dest, events: sendable.map((s) => s.event) });
        const duration = Math.round(performance.now() - started);
        const unsent: SinkEvent[] = [];
        for (const o of result.outcomes) {
          const row = byEvent.get(o.eventId)!;
          if (o.status === "unsent") unsent.push(sendable.find((s) => s.event.eventId === o.eventId)!.event);
          else results.push({ outboxId: row.outboxId, attempts: row.attempts, matchKeys: keysOf.get(o.eventId), outcome: o, httpStatus: result.httpStatus, excerpt: result.excerpt, durationMs: duration });
        }
        // All-or-nothing refusals: resend each event alone so the reason lands on its row.
        for (const event of unsent) {
          const row = byEvent.get(event.eventId)!;
          const t0 = performance.now();
          const single = await sink.send({ destination: dest, events: [event] });
          const o = single.outcomes[0]!;
          results.push({ outboxId: row.outboxId, attempts: row.attempts, matchKeys: keysOf.get(event.eventId), outcome: o.status === "unsent" ? { ...o, status: "rejected" } : o, httpStatus: single.httpStatus, excerpt: single.excerpt, durationMs: Math.round(performance.now() - t0) });
        }
      }
    }

    const stop = await applyOutcomes(ctx, destination.id, results, counts);
    if (stop) break;
    if (rows.length < batchSize) break;
  }
  return counts;
}

/** Writes outcomes (one UPDATE per outcome group) and the attempts log. @returns whether to stop this run (a retryable failure). */
async function applyOutcomes(ctx: Ctx, destinationId: string, results: RowOutcome[], counts: Record<"delivered" | "rejected" | "retry" | "dropped", number>): Promise<boolean> {
  if (results.length === 0) return false;
  const now = ctx.clock.now();
  const maxAttempts = ctx.config.conversions.maxAttempts;
  let stop = false;
  let nextRun: Date | null = null;
  await ctx.db.transaction(async (tx) => {
    // Delivered rows: one UPDATE per (deduplicated, match keys) group — usually one per batch.
    const delivered = results.filter((r) => r.outcome.status === "accepted");
    const groups = new Map<string, { deduplicated: boolean; matchKeys: string[]; ids: string[] }>();
    for (const r of delivered) {
      const deduplicated = "deduplicated" in r.outcome && r.outcome.deduplicated === true;
      const key = `${deduplicated}|${(r.matchKeys ?? []).join(",")}`;
      const g = groups.get(key) ?? { deduplicated, matchKeys: r.matchKeys ?? [], ids: [] };
      g.ids.push(r.outboxId);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      // Ids as one JSON parameter: a thousand bound parameters cost more to build than to run.
      await tx
        .update(conversionOutbox)
        .set({ status: "delivered", deduplicated: g.deduplicated, matchKeys: g.matchKeys, deliveredAt: now, reason: null, attempts: sql`${conversionOutbox.attempts} + 1`, updatedAt: now })
        .where(sql`${conversionOutbox.id} in (select jsonb_array_elements_text(${JSON.stringify(g.ids)}::jsonb))`);
    }
    counts.delivered += delivered.length;

    const dropped = results.filter((r) => r.outcome.status === "dropped");
    for (const reason of new Set(dropped.map((r) => r.outcome.reason ?? "dropped"))) {
      const ids = dropped.filter((r) => r.outcome.reason === reason).map((r) => r.outboxId);
      await tx.update(conversionOutbox).set({ status: "dropped", reason, updatedAt: now }).where(inArray(conversionOutbox.id, ids));
    }
    counts.dropped += dropped.length;

    for (const r of results.filter((x) => x.outcome.status === "rejected")) {
      await tx.update(conversionOutbox).set({ status: "rejected", reason: (r.outcome.reason ?? "rejected").slice(0, 500), matchKeys: r.matchKeys ?? [], attempts: sql`${conversionOutbox.attempts} + 1`, updatedAt: now }).where(eq(conversionOutbox.id, r.outboxId));
      counts.rejected += 1;
    }

    for (const r of results.filter((x) => x.outcome.status === "retry")) {
      const attempts = r.attempts + 1;
      const reason = (r.outcome.reason ?? "retry").slice(0, 200);
      if (attempts >= maxAttempts) {
        await tx.update(conversionOutbox).set({ status: "rejected", reason: `attempts_exhausted: ${reason}`, attempts, updatedAt: now }).where(eq(conversionOutbox.id, r.outboxId));
        counts.rejected += 1;
        continue;
      }
      const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      const retryAfter = "retryAfterMs" in r.outcome ? (r.outcome.retryAfterMs ?? 0) : 0;
      const at = new Date(now.getTime() + Math.max(backoff, retryAfter));
      await tx.update(conversionOutbox).set({ attempts, nextAttemptAt: at, reason, updatedAt: now }).where(eq(conversionOutbox.id, r.outboxId));
      nextRun = nextRun && nextRun < at ? nextRun : at;
      counts.retry += 1;
      stop = true;
    }

    // One statement, one JSON parameter (see above).
    const attemptRows = results.map((r) => ({
      id: newId("conversionAttempt", now),
      outbox_id: r.outboxId,
      status: r.outcome.status,
      http_status: r.httpStatus ?? null,
      // The batch answer says nothing per accepted row; keep excerpts where they explain something.
      response_excerpt: r.outcome.status === "accepted" ? null : r.excerpt.slice(0, 500),
      duration_ms: r.durationMs,
    }));
    await tx.execute(sql`
      insert into ${conversionAttempts} (id, outbox_id, destination_id, status, http_status, response_excerpt, duration_ms, attempted_at)
      select a.id, a.outbox_id, ${destinationId}, a.status, a.http_status, a.response_excerpt, a.duration_ms, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(attemptRows)}::jsonb) as a(id text, outbox_id text, status text, http_status int, response_excerpt text, duration_ms int)`);
  });
  if (nextRun) {
    // Honour Retry-After / backoff: the next run starts then (one queued job per destination).
    await ctx.jobs.send("conversions.deliver", { destinationId }, { singletonKey: `conversions.deliver:${destinationId}`, startAfter: nextRun });
  }
  return stop;
}
