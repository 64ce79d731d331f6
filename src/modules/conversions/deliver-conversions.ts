import { eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistEventValues } from "../../db/schema/analytics";
import { conversionAttempts, conversionDestinations, conversionEventMappings, conversionOutbox, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { open } from "../../lib/seal";
import type { SinkClickIds, SinkEvent, SinkOutcome } from "../../providers/conversion-sink/port";
import { clientPlace } from "./enqueue-conversions";
import { hashIdentifier } from "./hash-identifier";
import { resolveEventMapping } from "./resolve-event-mapping";

/** How old an event each platform still takes (Meta, Reddit: 7 days; Google click conversions: 90). A minute of margin for the trip. */
const MAX_AGE_MS: Record<ConversionPlatform, number> = { meta: 7 * 86_400_000 - 60_000, reddit: 7 * 86_400_000 - 60_000, google: 90 * 86_400_000 - 60_000 };
/** Retry delays: 30 s · 2^(attempt-1), capped at 1 h (deterministic: one destination's rows move together anyway). */
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;
/** Stop after this many batches in one job run, so one destination cannot hold a worker for ever. */
const MAX_BATCHES_PER_RUN = 200;

/** A row's client data goes the moment the row is final (delivered, rejected, dropped): P11. */
const CLEARED = { clientSealed: null, consentSubject: null };

const CLICK_ID = /^[A-Za-z0-9._\-~]{1,500}$/;

/** The click ids the consent side stored on the event (`detail.clickIds`), re-checked: only strings of a sane charset pass. */
function readClickIds(raw: unknown): SinkClickIds {
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

/** One due outbox row with what delivery needs of its event (read as one JSON document per batch). */
interface DueRow {
  outboxId: string;
  attempts: number;
  eventId: string;
  type: string;
  /** Unix ms. */
  occurredAtMs: number;
  playUserId: string | null;
  path: string | null;
  country: string | null;
  /** `detail.clickIds`, or for a STREAM its touchpoint's. */
  clickIds: unknown;
  /** The outbox row's consent id, else one kept on the event. */
  consentSubject: string | null;
  /** An open flag covers the event now (issue 4). */
  flagged: boolean;
  /** Sealed `{ ip, ua }` (`clientPlace`). */
  clientSealed: string | null;
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
 *    (`consent_withdrawn`, P12 — asked of `ctx.conversions.consent` per fan / browser),
 *    events flagged since they were queued (`flagged`), events too old for the platform
 *    (`stale_event`), events without this platform's click id (`no_click_id`);
 * 2. builds the events (platform event name from the mapping; value from the mapping, else
 *    the artist's valuation of the event type, none when unset; identifiers hashed with the
 *    platform's normalization; the sealed client IP / user agent opened; event id =
 *    engagement event id) and sends them;
 * 3. records each row's outcome: accepted → `delivered` (one UPDATE per batch); rejected →
 *    `rejected` with the platform's reason; retryable → stays `pending` with
 *    `next_attempt_at` = now + max(Retry-After, backoff), and a delivery job is scheduled
 *    for then (`startAfter`); after `CONVERSIONS_MAX_ATTEMPTS` → `rejected`
 *    (`attempts_exhausted: …`); refused with a batch (all-or-nothing APIs) → resent alone.
 *    Every outcome but `accepted` also gets a `conversion_attempts` row (status, HTTP
 *    status, response excerpt); an accepted attempt is the row itself (`delivered_at`,
 *    `attempts`, `deduplicated`, `match_keys`). A final row's client IP / user agent /
 *    consent id are set NULL in the same UPDATE.
 * A rate-limited / failing destination stops this run. Replays send nothing twice: only
 * `pending` rows are read, and the platforms dedupe on the event id besides.
 * @throws AppError NOT_FOUND (field `destinationId`) for an unknown destination.
 * @returns counts per outcome.
 */
export async function deliverConversions({ ctx, input }: { ctx: Ctx; input: { destinationId: string } }): Promise<Record<"delivered" | "rejected" | "retry" | "dropped", number>> {
  const counts = { delivered: 0, rejected: 0, retry: 0, dropped: 0 };
  const [destination] = await ctx.db.select().from(conversionDestinations).where(eq(conversionDestinations.id, input.destinationId));
  // A job for a destination that does not exist is a mistake, not a quiet no-op.
  if (!destination) throw new AppError("NOT_FOUND", `destinationId: no conversion destination ${input.destinationId}`, { field: "destinationId" });
  const platform = destination.platform;
  const sink = ctx.conversions.sinks[platform];
  const batchSize = Math.min(ctx.config.conversions.batchSize, sink.batchLimit);
  const accessToken = open(ctx.config.keyRing, { table: "conversion_destinations", column: "access_token", rowId: destination.id }, destination.accessTokenSealed);
  const overrides = await ctx.db.select().from(conversionEventMappings).where(eq(conversionEventMappings.artistId, destination.artistId));
  // Attribution's per-artist value of one event of each type (issue 4), for mappings without their own value.
  const valuation = await ctx.db
    .select({ eventType: artistEventValues.eventType, minor: artistEventValues.amountMinor, currency: artistEventValues.currency })
    .from(artistEventValues)
    .where(eq(artistEventValues.artistId, destination.artistId));
  const values = new Map(valuation.map((v) => [v.eventType, { minor: v.minor, currency: v.currency }]));
  const keyRing = ctx.config.keyRing;
  // A fan's hashed external id, once per run (a fan has several events).
  const externalIds = new Map<string, string>();

  for (let batchNo = 0; batchNo < MAX_BATCHES_PER_RUN; batchNo++) {
    const now = ctx.clock.now();
    // One JSON document for the batch: one value to parse instead of a dozen per row.
    const result = await ctx.db.execute(sql`
      select coalesce(json_agg(json_build_object(
               'outboxId', o.id, 'attempts', o.attempts, 'eventId', e.id, 'type', e.type,
               'occurredAtMs', (extract(epoch from e.occurred_at) * 1000)::bigint, 'playUserId', e.play_user_id,
               'path', e.context->>'path', 'country', e.context->>'country',
               -- A STREAM's click ids are those of its touchpoint (the save / follow that brought the fan).
               'clickIds', coalesce(e.detail->'clickIds', (select tp.detail->'clickIds' from engagement_events tp where tp.id = e.detail->'touchpoint'->>'eventId')),
               'consentSubject', coalesce(o.consent_subject, e.detail->>'consentSubject'),
               'flagged', exists (select 1 from engagement_flags f where f.cleared_at is null
                                    and (f.event_id = e.id or (f.play_user_id = e.play_user_id and (f.scope_from is null or f.scope_from <= e.occurred_at)))),
               'clientSealed', o.client_sealed)), '[]')::text as rows
        from (select * from conversion_outbox
               where destination_id = ${destination.id} and status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
               order by next_attempt_at, id limit ${batchSize}) o
        join engagement_events e on e.id = o.event_id`);
    const rows = JSON.parse((result.rows[0] as { rows: string }).rows) as DueRow[];
    if (rows.length === 0) break;

    const results: RowOutcome[] = [];
    const drop = (r: DueRow, reason: string) => results.push({ outboxId: r.outboxId, attempts: r.attempts, outcome: { status: "dropped", reason }, httpStatus: undefined, excerpt: reason, durationMs: 0 });

    if (!destination.enabled) {
      for (const r of rows) drop(r, "destination_disabled");
    } else {
      // One consent question per fan / browser in the batch (the gate also answers for a
      // row with neither id: by the consent mode).
      const consent = new Map<string, boolean>();
      for (const r of rows) {
        const key = `${r.playUserId ?? ""}|${r.consentSubject ?? ""}`;
        if (!consent.has(key)) consent.set(key, await ctx.conversions.consent.hasAdConsent({ playUserId: r.playUserId, consentSubject: r.consentSubject }));
      }
      const sendable: Array<{ row: DueRow; event: SinkEvent; matchKeys: string[] }> = [];
      for (const r of rows) {
        if (!consent.get(`${r.playUserId ?? ""}|${r.consentSubject ?? ""}`)) {
          drop(r, "consent_withdrawn");
          continue;
        }
        if (r.flagged) {
          drop(r, "flagged");
          continue;
        }
        if (now.getTime() - Number(r.occurredAtMs) > MAX_AGE_MS[platform]) {
          drop(r, "stale_event");
          continue;
        }
        const mapping = resolveEventMapping(platform, r.type, overrides);
        if (!mapping) {
          drop(r, "mapping_disabled");
          continue;
        }
        const clickIds = readClickIds(r.clickIds);
        const clickKeys = platformClickKeys(platform, clickIds);
        if (clickKeys.length === 0) {
          drop(r, "no_click_id");
          continue;
        }
        let externalId: string | undefined;
        if (r.playUserId) {
          externalId = externalIds.get(r.playUserId) ?? hashIdentifier(platform, "external_id", r.playUserId);
          externalIds.set(r.playUserId, externalId);
        }
        const client = r.clientSealed ? (JSON.parse(open(keyRing, clientPlace(r.eventId), r.clientSealed)) as { ip: string | null; ua: string | null }) : null;
        const ipAddress = client?.ip ?? undefined;
        const userAgent = client?.ua ?? undefined;
        const event: SinkEvent = {
          eventId: r.eventId,
          eventName: mapping.eventName,
          eventTimeMs: Number(r.occurredAtMs),
          sourceUrl: `${ctx.config.publicUrl}${r.path ?? "/"}`,
          // The mapping's own value, else the artist's valuation of this event type; none when unset.
          value: mapping.value ?? values.get(r.type),
          clickIds,
          ...(ipAddress || userAgent ? { client: { ipAddress, userAgent, country: r.country } } : {}),
          hashed: { externalId: externalId ? [externalId] : [] },
        };
        // What the platform's request actually carries (health's "match keys present").
        sendable.push({ row: r, matchKeys: sink.matchKeys(event), event });
      }
      if (sendable.length > 0) {
        const byEvent = new Map(sendable.map((s) => [s.event.eventId, s]));
        const dest = { accountId: destination.accountId, conversionActionId: destination.conversionActionId, accessToken, testCode: destination.testCode };
        const started = performance.now();
        const sent = await sink.send({ destination: dest, events: sendable.map((s) => s.event) });
        const duration = Math.round(performance.now() - started);
        const unsent: SinkEvent[] = [];
        for (const o of sent.outcomes) {
          const s = byEvent.get(o.eventId)!;
          if (o.status === "unsent") unsent.push(s.event);
          else results.push({ outboxId: s.row.outboxId, attempts: s.row.attempts, matchKeys: s.matchKeys, outcome: o, httpStatus: sent.httpStatus, excerpt: sent.excerpt, durationMs: duration });
        }
        // All-or-nothing refusals: resend each event alone so the reason lands on its row.
        for (const event of unsent) {
          const s = byEvent.get(event.eventId)!;
          const t0 = performance.now();
          const single = await sink.send({ destination: dest, events: [event] });
          const o = single.outcomes[0]!;
          results.push({ outboxId: s.row.outboxId, attempts: s.row.attempts, matchKeys: s.matchKeys, outcome: o.status === "unsent" ? { ...o, status: "rejected" } : o, httpStatus: single.httpStatus, excerpt: single.excerpt, durationMs: Math.round(performance.now() - t0) });
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
    // Delivered rows: one UPDATE per (deduplicated, match keys) group — usually one per
    // batch. Ids as one text parameter, matched through the primary key (a thousand bound
    // parameters cost more to build than to run; a joined JSON recordset is planned as a
    // scan of the whole outbox).
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
      await tx
        .update(conversionOutbox)
        .set({ status: "delivered", deduplicated: g.deduplicated, matchKeys: g.matchKeys, deliveredAt: now, reason: null, attempts: sql`${conversionOutbox.attempts} + 1`, updatedAt: now, ...CLEARED })
        .where(sql`${conversionOutbox.id} = any(string_to_array(${g.ids.join(",")}, ','))`);
    }
    counts.delivered += delivered.length;

    const dropped = results.filter((r) => r.outcome.status === "dropped");
    for (const reason of new Set(dropped.map((r) => r.outcome.reason ?? "dropped"))) {
      const ids = dropped.filter((r) => r.outcome.reason === reason).map((r) => r.outboxId);
      await tx.update(conversionOutbox).set({ status: "dropped", reason, updatedAt: now, ...CLEARED }).where(inArray(conversionOutbox.id, ids));
    }
    counts.dropped += dropped.length;

    for (const r of results.filter((x) => x.outcome.status === "rejected")) {
      await tx
        .update(conversionOutbox)
        .set({ status: "rejected", reason: (r.outcome.reason ?? "rejected").slice(0, 500), matchKeys: r.matchKeys ?? [], attempts: sql`${conversionOutbox.attempts} + 1`, updatedAt: now, ...CLEARED })
        .where(eq(conversionOutbox.id, r.outboxId));
      counts.rejected += 1;
    }

    for (const r of results.filter((x) => x.outcome.status === "retry")) {
      const attempts = r.attempts + 1;
      const reason = (r.outcome.reason ?? "retry").slice(0, 200);
      if (attempts >= maxAttempts) {
        await tx.update(conversionOutbox).set({ status: "rejected", reason: `attempts_exhausted: ${reason}`, attempts, updatedAt: now, ...CLEARED }).where(eq(conversionOutbox.id, r.outboxId));
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

    // The attempts log: every outcome with something to explain (an accepted attempt is the
    // delivered row itself). One statement, one JSON parameter.
    const logged = results.filter((r) => r.outcome.status !== "accepted");
    if (logged.length === 0) return;
    const attemptRows = logged.map((r) => ({
      id: newId("conversionAttempt", now),
      outbox_id: r.outboxId,
      status: r.outcome.status,
      http_status: r.httpStatus ?? null,
      response_excerpt: r.excerpt.slice(0, 500),
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
