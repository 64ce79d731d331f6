import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { engagementEvents, type LandingContext } from "../../db/schema/attribution";
import type { Clock } from "../../lib/clock";
import { newId } from "../../lib/ids";
import type { Logger } from "../../lib/logger";

export type EngagementType =
  | "VIEW"
  | "SERVICE_CLICK"
  | "PRESAVE"
  | "AUTH"
  | "AUTH_FAILED"
  | "SAVE_TRACK"
  | "FOLLOW_ARTIST"
  | "PLAYBACK_STARTED"
  | "OPEN_IN_BROWSER"
  // Derived by fan sync (see sync-fan.ts): never from a request.
  | "STREAM"
  | "UNSAVE_TRACK"
  | "UNFOLLOW_ARTIST";

/**
 * The request an engagement event came from, as ad platforms need it (P11, P12): never
 * stored on the event, only (sealed) on its conversion outbox rows. Set only when ad
 * consent held for the request.
 */
export interface AdRequest {
  /** The client IP address (after the trusted proxy), raw. */
  ip: string | null;
  userAgent: string | null;
  /** The browser's consent id (`bb_cid`), for the delivery-time consent check. */
  consentSubject: string | null;
}

/** Events just written (by a flush or `record`), handed to `onWritten` inside the writing transaction. */
export interface WrittenEvent {
  id: string;
  type: string;
  artistId: string;
  playUserId: string | null;
  occurredAt: Date;
  detail: Record<string, unknown>;
  adRequest?: AdRequest | null | undefined;
}

export interface EngagementInput {
  /**
   * Pre-generated event id (`evt_…`, `newId("event")`), when the id must be known before the
   * event is written: the browser pixel fires the same id so ad platforms deduplicate.
   * Defaults to a new id. A repeated id is ignored (`on conflict do nothing`).
   */
  id?: string;
  type: EngagementType;
  artistId: string;
  smartLinkId: string | null;
  playUserId?: string | null;
  visitorHash?: string | null;
  context: LandingContext;
  detail?: Record<string, unknown>;
  /** Defaults to the clock's now. */
  occurredAt?: Date;
  /** See `AdRequest`: never written to `engagement_events`. */
  adRequest?: AdRequest | null;
}

/** Why a landing request or service click was or was not counted (`traffic_counters.reason`). */
export type TrafficReason =
  | "counted"
  | "bot"
  | "link_preview"
  | "head"
  | "prefetch"
  | "datacenter_ip"
  | "velocity_visitor"
  | "velocity_link"
  | "duplicate";

/**
 * What was requested (`traffic_counters.kind`): `visit` = a landing page (smart link or
 * hub), `service_click` = a tracked outbound click (`…/go/{service}`).
 */
export type TrafficKind = "visit" | "service_click";

export interface TrafficCount {
  /** UTC day `YYYY-MM-DD`. */
  day: string;
  artistId: string;
  /** `""` for an artist hub. */
  smartLinkId: string;
  /** Defaults to `visit`. */
  kind?: TrafficKind;
  reason: TrafficReason;
}

export interface EventRecorder {
  /**
   * Adds one raw request to the in-memory `traffic_counters` aggregate; written with the
   * next flush as one upsert per (day, artist, link, kind, reason), never one row per request.
   */
  count(counter: TrafficCount): void;
  /** Buffered (views, clicks): answered before persisting, written in batches. */
  enqueue(event: EngagementInput): void;
  /**
   * Written now, in one transaction with their analytics marks and `onWritten` (conversion
   * outbox rows) — a savepoint inside the caller's transaction when `db` is one (AUTH,
   * SAVE_TRACK…).
   */
  record(db: Db, events: EngagementInput[]): Promise<void>;
  /** Writes everything buffered. Safe to call concurrently. */
  flush(): Promise<void>;
  /** Stops the timer and flushes; used on graceful shutdown. */
  close(): Promise<void>;
  /** Events waiting in memory. */
  readonly pending: number;
}

/** Bounded so a database outage cannot grow memory without limit (oldest dropped, logged). */
const MAX_BUFFERED = 50_000;
/**
 * Rows per INSERT. Small enough that one insert never holds the event loop for long on
 * embedded PGlite (which runs in this thread), large enough to amortise the round trip.
 */
const BATCH = 250;

type EventRow = typeof engagementEvents.$inferInsert & { occurredAt: Date; detail: Record<string, unknown>; playUserId: string | null };
/** A buffered row and the request it came from (kept beside the row, never a column). */
type BufferedRow = EventRow & { adRequest?: AdRequest | null | undefined };

/** Runs in the transaction that wrote `events` (conversions' outbox: `enqueueConversions`). */
export type OnEventsWritten = (tx: Db, events: WrittenEvent[]) => Promise<unknown>;

/** Types whose writes may need outbox rows: a batch without them keeps the single-statement path. */
const CONVERSION_TYPES = new Set(["SERVICE_CLICK", "PRESAVE", "SAVE_TRACK", "FOLLOW_ARTIST", "STREAM"]);

const written = (r: BufferedRow): WrittenEvent => ({ id: r.id, type: r.type, artistId: r.artistId, playUserId: r.playUserId, occurredAt: r.occurredAt, detail: r.detail, adRequest: r.adRequest ?? null });

/**
 * One statement, one JSON parameter: Postgres expands the batch with
 * `json_populate_recordset`, which costs far less than thousands of bind parameters
 * (measured ~2× on PGlite). Keys are the table's column names.
 */
function insertBatch(db: Db, rows: EventRow[], at: Date) {
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      type: r.type,
      occurred_at: r.occurredAt.toISOString(),
      artist_id: r.artistId,
      smart_link_id: r.smartLinkId,
      play_user_id: r.playUserId,
      visitor_hash: r.visitorHash,
      context: r.context,
      detail: r.detail,
    })),
  );
  return db.execute(
    // Events of a fan erased meanwhile are dropped, not retried forever (P17).
    // Columns named: `written_xid` must take its default (the writing transaction). The
    // analytics days the batch lands on are marked in the same statement (update-rollups.ts).
    sql`with inserted as (
          insert into engagement_events (id, type, occurred_at, artist_id, smart_link_id, play_user_id, visitor_hash, context, detail)
          select r.id, r.type, r.occurred_at, r.artist_id, r.smart_link_id, r.play_user_id, r.visitor_hash, r.context, r.detail
          from json_populate_recordset(null::engagement_events, ${json}::json) r
          where r.play_user_id is null or exists (select 1 from play_users u where u.id = r.play_user_id)
          on conflict do nothing
          returning id, artist_id, occurred_at
        ), marked as (
          insert into analytics_dirty_days (artist_id, day, marked_at)
          select distinct artist_id, (occurred_at at time zone 'UTC')::date, ${at.toISOString()}::timestamptz from inserted
          on conflict do nothing
        )
        select id from inserted`,
  );
}

/**
 * One upsert for every aggregated counter: `requests = requests + excluded.requests`, so
 * any number of nodes add to the same rows without coordinating.
 */
function upsertCounters(db: Db, counters: Map<string, number>) {
  const json = JSON.stringify(
    [...counters].map(([key, requests]) => {
      const [day, artist_id, smart_link_id, kind, reason] = key.split("\u0000");
      return { day, artist_id, smart_link_id, kind, reason, requests };
    }),
  );
  return db.execute(
    sql`insert into traffic_counters (day, artist_id, smart_link_id, kind, reason, requests)
        select r.day, r.artist_id, r.smart_link_id, r.kind, r.reason, r.requests
        from json_to_recordset(${json}::json) as r(day date, artist_id text, smart_link_id text, kind text, reason text, requests bigint)
        on conflict (day, artist_id, smart_link_id, kind, reason) do update set requests = traffic_counters.requests + excluded.requests`,
  );
}

/** Postgres `foreign_key_violation` (23503), wherever it sits in the `cause` chain. */
function isForeignKeyViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23503") return true;
  }
  return false;
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Buffers hot-path engagement events in memory and writes them in batches every
 * `flushMs`. Per node; the rows are append-only, so nodes never coordinate.
 * `onWritten` runs in the transaction that inserted events (a flushed batch holding a
 * conversion type, or a `record` call) with the rows actually inserted; if it fails, the
 * events are not written either (a flushed batch stays buffered and is retried).
 */
export function createEventBuffer(options: { db: Db; clock: Clock; logger: Logger; flushMs: number; onWritten?: OnEventsWritten }): EventRecorder {
  const { db, clock, logger, onWritten } = options;
  let buffer: BufferedRow[] = [];
  let flushing: Promise<void> | null = null;
  let dropped = 0;
  // key = day \0 artist \0 link \0 kind \0 reason → requests since the last flush. Bounded
  // by the number of distinct (day, link, kind, reason) tuples seen in one flush interval.
  let counters = new Map<string, number>();

  const toRow = (e: EngagementInput): BufferedRow => {
    const at = e.occurredAt ?? clock.now();
    return {
      ...(e.adRequest ? { adRequest: e.adRequest } : {}),
      id: e.id ?? newId("event", at),
      type: e.type,
      occurredAt: at,
      artistId: e.artistId,
      smartLinkId: e.smartLinkId,
      playUserId: e.playUserId ?? null,
      visitorHash: e.visitorHash ?? null,
      context: e.context,
      detail: e.detail ?? {},
    };
  };

  async function drainCounters(): Promise<void> {
    if (counters.size === 0) return;
    const taken = counters;
    counters = new Map();
    try {
      await upsertCounters(db, taken);
    } catch (err) {
      // Merged back so the next flush retries them; counts are never lost on a blip.
      for (const [key, n] of taken) counters.set(key, (counters.get(key) ?? 0) + n);
      logger.error({ err, counters: counters.size }, "traffic counter flush failed; will retry");
    }
  }

  async function drain(): Promise<void> {
    await drainCounters();
    while (buffer.length > 0) {
      const batch = buffer.splice(0, BATCH);
      try {
        if (onWritten && batch.some((r) => CONVERSION_TYPES.has(r.type))) {
          // Events and their conversion outbox rows commit together (conversions README).
          // Only rows this statement inserted get outbox rows: a repeated id (a replayed
          // `eid`) never attaches its request to someone else's event.
          await db.transaction(async (tx) => {
            const result = await insertBatch(tx, batch, clock.now());
            const inserted = new Set((result.rows as Array<{ id: string }>).map((r) => r.id));
            await onWritten(tx, batch.filter((r) => inserted.has(r.id)).map(written));
          });
        } else await insertBatch(db, batch, clock.now());
      } catch (err) {
        // Back to the front, so order is kept and the next flush retries them.
        buffer = batch.concat(buffer);
        logger.error({ err, pending: buffer.length }, "event flush failed; will retry");
        return;
      }
      // Let waiting requests run between batches: the landing page must not stall.
      await yieldToRequests();
    }
  }

  const flush = (): Promise<void> => {
    flushing ??= drain().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();

  return {
    count(c) {
      const key = `${c.day}\u0000${c.artistId}\u0000${c.smartLinkId}\u0000${c.kind ?? "visit"}\u0000${c.reason}`;
      counters.set(key, (counters.get(key) ?? 0) + 1);
    },
    enqueue(event) {
      if (buffer.length >= MAX_BUFFERED) {
        buffer.shift();
        dropped += 1;
        if (dropped % 1000 === 1) logger.warn({ dropped }, "event buffer full; dropping oldest events");
      }
      buffer.push(toRow(event));
    },
    async record(tx, events) {
      if (events.length === 0) return;
      try {
        const rows = events.map(toRow);
        // Events, their analytics marks and their conversion outbox rows in one transaction
        // (a savepoint when `tx` is one already), so no crash can separate them.
        await tx.transaction(async (t) => {
          await t.insert(engagementEvents).values(rows.map(({ adRequest: _ad, ...row }) => row));
          // The analytics days these events land on (update-rollups.ts), in the same transaction.
          const days = JSON.stringify([...new Set(rows.map((r) => `${r.artistId}\u0000${r.occurredAt.toISOString().slice(0, 10)}`))].map((k) => k.split("\u0000")));
          await t.execute(sql`
            insert into analytics_dirty_days (artist_id, day, marked_at)
            select d->>0, (d->>1)::date, ${clock.now().toISOString()}::timestamptz from json_array_elements(${days}::json) d
            on conflict do nothing`);
          if (onWritten) await onWritten(t, rows.map(written));
        });
      } catch (err) {
        // The fan was erased while their action ran (P17): their events must not outlive
        // the erasure. (Transactional callers record for a fan their own transaction holds.)
        if (!isForeignKeyViolation(err)) throw err;
        logger.info({ dropped: events.length }, "events of an erased fan dropped");
      }
    },
    flush,
    async close() {
      clearInterval(timer);
      // Only through flush(), so a drain already running is never doubled; stop when a
      // round makes no progress (database down): the log says what was left.
      await flush();
      for (let before = buffer.length; buffer.length > 0; before = buffer.length) {
        await flush();
        if (buffer.length >= before) break;
      }
      if (buffer.length > 0) logger.error({ pending: buffer.length }, "events left unwritten at shutdown");
    },
    get pending() {
      return buffer.length;
    },
  };
}
