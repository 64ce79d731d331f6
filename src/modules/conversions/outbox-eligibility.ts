import { sql, type SQL } from "drizzle-orm";
import { CONVERSION_EVENT_TYPES } from "./resolve-event-mapping";

/**
 * The SQL condition under which an engagement event gets an outbox row for a destination,
 * shared by `enqueueConversions` (at write time) and the sweeper (`planConversions`), so
 * both decide alike and the sweeper never re-reads what the writer skipped on purpose.
 * `e` is a relation with the engagement event's columns (`id`, `type`, `artist_id`,
 * `play_user_id`, `occurred_at`, `detail`), `d` a `conversion_destinations` row:
 * 1. a conversion type (SERVICE_CLICK, PRESAVE, SAVE_TRACK, FOLLOW_ARTIST, STREAM);
 * 2. the artist's mapping does not turn it off for the platform;
 * 3. no open flag names the event, or its fan from `scope_from` on (issue 4: flagged
 *    engagement is excluded from conversion reporting);
 * 4. the platform's click id is present (`detail.clickIds`, or for a STREAM the click ids
 *    of its touchpoint event): Meta `fbc`, Google one of gclid / gbraid / wbraid, Reddit
 *    `rdtCid` — the fan came from that platform's ad.
 */
export function outboxEligibility(e: SQL, d: SQL): SQL {
  const types = sql.join(
    CONVERSION_EVENT_TYPES.map((t) => sql`${t}`),
    sql`, `,
  );
  const clickIds = sql`coalesce(${e}.detail->'clickIds', (select tp.detail->'clickIds' from engagement_events tp where tp.id = ${e}.detail->'touchpoint'->>'eventId'))`;
  return sql`${e}.type in (${types})
    and not exists (select 1 from conversion_event_mappings m where m.artist_id = ${e}.artist_id and m.platform = ${d}.platform and m.event_type = ${e}.type and not m.enabled)
    and not exists (select 1 from engagement_flags f where f.cleared_at is null
                      and (f.event_id = ${e}.id or (f.play_user_id = ${e}.play_user_id and (f.scope_from is null or f.scope_from <= ${e}.occurred_at))))
    and (case ${d}.platform
           when 'meta' then ${clickIds} ? 'fbc'
           when 'google' then ${clickIds} ?| array['gclid', 'gbraid', 'wbraid']
           else ${clickIds} ? 'rdtCid' end)`;
}
