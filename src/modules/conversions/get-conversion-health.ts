import { and, asc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionDestinations, conversionOutbox, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { badRequest } from "../../lib/errors";
import { requireArtistRole } from "../accounts/index";

/** Longest range a health request may cover (days). */
export const MAX_HEALTH_RANGE_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const EARLIEST_DAY = "1970-01-01";
const LATEST_DAY = "9999-12-30";

/** `YYYY-MM-DD` → that UTC midnight. @throws AppError BAD_REQUEST naming `field`. */
function readDay(field: string, value: string): Date {
  const at = new Date(`${value}T00:00:00.000Z`);
  if (!DAY.test(value) || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value) throw badRequest(field, "must be a date YYYY-MM-DD");
  // PostgreSQL has no year 0, and `to` + 1 day (the exclusive end) must keep a 4-digit year.
  if (value < EARLIEST_DAY || value > LATEST_DAY) throw badRequest(field, `must be a date from ${EARLIEST_DAY} to ${LATEST_DAY}`);
  return at;
}

export interface DestinationHealth {
  destinationId: string;
  platform: ConversionPlatform;
  enabled: boolean;
  pending: number;
  delivered: number;
  rejected: number;
  dropped: number;
  /** Delivered rows the platform reported as duplicates (Meta itself never reports this; emulators do). */
  deduplicated: number;
  /** Rows sent with each match key (names only, e.g. `{ fbc: 12, external_id: 12 }`). */
  matchKeys: Record<string, number>;
  /** Reasons of rejected / dropped rows with their counts. */
  reasons: Record<string, number>;
}

/**
 * Health figures per destination of an artist: delivered, rejected, dropped, pending,
 * deduplicated, match keys present, reasons — of the outbox rows queued in the range
 * (`from` / `to`: inclusive UTC days by `created_at`, ≤ 366 days; both left out = all time).
 * Viewers of the artist; API keys with `read` (system / CLI too).
 * @throws AppError NOT_FOUND (missing or another tenant's artist), FORBIDDEN, BAD_REQUEST
 *   naming `from` / `to`.
 */
export async function getConversionHealth({ ctx, input }: { ctx: Ctx; input: { artistId: string; from?: string | undefined; to?: string | undefined } }): Promise<DestinationHealth[]> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  const range: SQL[] = [];
  if (input.from !== undefined || input.to !== undefined) {
    if (input.from === undefined) throw badRequest("from", "is required with to");
    if (input.to === undefined) throw badRequest("to", "is required with from");
    const from = readDay("from", input.from);
    const end = new Date(readDay("to", input.to).getTime() + 86_400_000);
    if (end <= from) throw badRequest("to", "must not be before from");
    if ((end.getTime() - from.getTime()) / 86_400_000 > MAX_HEALTH_RANGE_DAYS) throw badRequest("to", `the range is at most ${MAX_HEALTH_RANGE_DAYS} days`);
    range.push(gte(conversionOutbox.createdAt, from), lt(conversionOutbox.createdAt, end));
  }
  const inRange = range.length ? sql` and ${and(...range)}` : sql``;
  const destinations = await ctx.db
    .select({ id: conversionDestinations.id, platform: conversionDestinations.platform, enabled: conversionDestinations.enabled })
    .from(conversionDestinations)
    .where(eq(conversionDestinations.artistId, artist.id))
    .orderBy(asc(conversionDestinations.createdAt), asc(conversionDestinations.id));
  const out: DestinationHealth[] = [];
  for (const d of destinations) {
    const byStatus = await ctx.db
      .select({ status: conversionOutbox.status, n: sql<number>`count(*)::int`, dedup: sql<number>`count(*) filter (where ${conversionOutbox.deduplicated})::int` })
      .from(conversionOutbox)
      .where(and(eq(conversionOutbox.destinationId, d.id), ...range))
      .groupBy(conversionOutbox.status);
    const keys = await ctx.db.execute<{ key: string; n: number }>(
      sql`select k as key, count(*)::int as n from ${conversionOutbox}, jsonb_array_elements_text(${conversionOutbox.matchKeys}) k where ${conversionOutbox.destinationId} = ${d.id} and ${conversionOutbox.status} = 'delivered'${inRange} group by k`,
    );
    const reasons = await ctx.db
      .select({ reason: conversionOutbox.reason, n: sql<number>`count(*)::int` })
      .from(conversionOutbox)
      .where(sql`${conversionOutbox.destinationId} = ${d.id} and ${conversionOutbox.status} in ('rejected', 'dropped')${inRange}`)
      .groupBy(conversionOutbox.reason);
    const count = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
    out.push({
      destinationId: d.id,
      platform: d.platform,
      enabled: d.enabled,
      pending: count("pending"),
      delivered: count("delivered"),
      rejected: count("rejected"),
      dropped: count("dropped"),
      deduplicated: byStatus.reduce((s, r) => s + r.dedup, 0),
      matchKeys: Object.fromEntries(keys.rows.map((r) => [r.key, Number(r.n)])),
      reasons: Object.fromEntries(reasons.map((r) => [r.reason ?? "unknown", r.n])),
    });
  }
  return out;
}
