import { inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionDestinations } from "../../db/schema/conversion-delivery";
import { newId } from "../../lib/ids";
import { seal } from "../../lib/seal";
import type { AdRequest } from "../attribution/create-event-buffer";
import { outboxEligibility } from "./outbox-eligibility";
import { CONVERSION_EVENT_TYPES } from "./resolve-event-mapping";

/** An engagement event just inserted (in the caller's transaction). */
export interface ConversionEventRef {
  /** The engagement event id (becomes the platforms' event id: dedupe key). */
  id: string;
  type: string;
  artistId: string;
  playUserId: string | null;
  occurredAt: Date;
  /** The event's `detail` (`clickIds`, a STREAM's `touchpoint`). */
  detail: Record<string, unknown>;
  /** The request the event came from (IP, user agent, consent id); none for STREAM / jobs. */
  adRequest?: AdRequest | null | undefined;
}

/** Where the sealed client IP / user agent (`{ ip, ua }`) of an event live (AAD): bound to the event, shared by its rows. */
export const clientPlace = (eventId: string) => ({ table: "conversion_outbox", column: "client", rowId: eventId });

const IP_MAX = 45;
const UA_MAX = 512;

/**
 * Writes the outbox rows of engagement events, in the transaction that inserted them
 * (`ctx.db` = that transaction): one row per enabled destination of the event's own artist
 * (tenant isolation) for which `outboxEligibility` holds (conversion type, mapping on, not
 * flagged, the platform's click id present). Called by the event recorder for every batch
 * it writes (buffered flushes and transactional `record`) and by fan sync for STREAMs, so
 * an event and its outbox rows commit together or not at all.
 *
 * Consent (P12): events of a fan are checked with `ctx.conversions.consent` (fan + the
 * request's consent id) now; a refusal writes the rows as `dropped` / `consent_withdrawn`
 * (visible in health; the sweeper does not read them again) with no client data. Events
 * without a fan carry click ids only when the request's consent held (P10), and delivery
 * checks again with the stored consent id.
 *
 * The request's client IP and user agent (`adRequest`) are sealed with the key ring
 * (`clientPlace(eventId)`, one envelope `{ ip, ua }`) into the rows only — never into `engagement_events` (P11).
 *
 * Idempotent: unique (event, destination), `on conflict do nothing`. Views and other types
 * queue nothing, and a batch without any candidate costs no query.
 * @returns rows inserted (pending and dropped).
 */
export async function enqueueConversions({ ctx, input }: { ctx: Ctx; input: { events: readonly ConversionEventRef[] } }): Promise<{ enqueued: number }> {
  const types = CONVERSION_EVENT_TYPES as readonly string[];
  const candidates = input.events.filter((e) => types.includes(e.type) && (e.detail.clickIds !== undefined || (e.type === "STREAM" && e.detail.touchpoint !== undefined)));
  if (candidates.length === 0) return { enqueued: 0 };
  const artists = [...new Set(candidates.map((e) => e.artistId))];
  const destinations = await ctx.db.select({ artistId: conversionDestinations.artistId }).from(conversionDestinations).where(inArray(conversionDestinations.artistId, artists));
  const withDestination = new Set(destinations.map((d) => d.artistId));
  const events = candidates.filter((e) => withDestination.has(e.artistId));
  if (events.length === 0) return { enqueued: 0 };

  // One consent question per (fan, browser) in the batch.
  const consent = new Map<string, boolean>();
  for (const e of events) {
    if (!e.playUserId) continue;
    const subject = e.adRequest?.consentSubject ?? null;
    const key = `${e.playUserId}|${subject ?? ""}`;
    if (!consent.has(key)) consent.set(key, await ctx.conversions.consent.hasAdConsent({ playUserId: e.playUserId, consentSubject: subject }, ctx.db));
  }

  const now = ctx.clock.now();
  const keyRing = ctx.config.keyRing;
  const rows = events.map((e) => {
    const subject = e.adRequest?.consentSubject ?? null;
    const allowed = e.playUserId ? consent.get(`${e.playUserId}|${subject ?? ""}`) === true : true;
    const ip = allowed && e.adRequest?.ip ? e.adRequest.ip.slice(0, IP_MAX) : null;
    const ua = allowed && e.adRequest?.userAgent ? e.adRequest.userAgent.slice(0, UA_MAX) : null;
    return {
      id: e.id,
      type: e.type,
      artist_id: e.artistId,
      play_user_id: e.playUserId,
      occurred_at: e.occurredAt.toISOString(),
      detail: { ...(e.detail.clickIds !== undefined ? { clickIds: e.detail.clickIds } : {}), ...(e.detail.touchpoint !== undefined ? { touchpoint: e.detail.touchpoint } : {}) },
      // One id per platform; the join below picks the destination's.
      ids: { meta: newId("conversionOutbox", now), google: newId("conversionOutbox", now), reddit: newId("conversionOutbox", now) },
      allowed,
      client: ip || ua ? seal(keyRing, clientPlace(e.id), JSON.stringify({ ip, ua })) : null,
      subject: allowed ? subject : null,
    };
  });
  // One statement, one JSON parameter (cheaper than thousands of bind parameters).
  const result = await ctx.db.execute(sql`
    insert into conversion_outbox (id, event_id, destination_id, artist_id, platform, play_user_id, status, reason, next_attempt_at, created_at, updated_at, client_sealed, consent_subject)
    select e.ids->>d.platform, e.id, d.id, e.artist_id, d.platform, e.play_user_id,
           case when e.allowed then 'pending' else 'dropped' end, case when e.allowed then null else 'consent_withdrawn' end,
           ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, e.client, e.subject
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           as e(id text, type text, artist_id text, play_user_id text, occurred_at timestamptz, detail jsonb, ids jsonb, allowed boolean, client text, subject text)
      join conversion_destinations d on d.artist_id = e.artist_id and d.enabled
     where ${outboxEligibility(sql`e`, sql`d`)}
    on conflict (event_id, destination_id) do nothing
    returning 1`);
  return { enqueued: result.rows.length };
}
