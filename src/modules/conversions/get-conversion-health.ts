import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionDestinations, conversionOutbox, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { requireArtistRole } from "../accounts/index";

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
 * deduplicated, match keys present, reasons. Viewers of the artist (or system / CLI).
 * @throws AppError FORBIDDEN / NOT_FOUND for users without access.
 */
export async function getConversionHealth({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<DestinationHealth[]> {
  if (ctx.actor.kind === "user" || ctx.actor.kind === "api_key") await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: null } });
  const destinations = await ctx.db.select().from(conversionDestinations).where(eq(conversionDestinations.artistId, input.artistId));
  const out: DestinationHealth[] = [];
  for (const d of destinations) {
    const byStatus = await ctx.db
      .select({ status: conversionOutbox.status, n: sql<number>`count(*)::int`, dedup: sql<number>`count(*) filter (where ${conversionOutbox.deduplicated})::int` })
      .from(conversionOutbox)
      .where(eq(conversionOutbox.destinationId, d.id))
      .groupBy(conversionOutbox.status);
    const keys = await ctx.db.execute<{ key: string; n: number }>(
      sql`select k as key, count(*)::int as n from ${conversionOutbox}, jsonb_array_elements_text(${conversionOutbox.matchKeys}) k where ${conversionOutbox.destinationId} = ${d.id} and ${conversionOutbox.status} = 'delivered' group by k`,
    );
    const reasons = await ctx.db
      .select({ reason: conversionOutbox.reason, n: sql<number>`count(*)::int` })
      .from(conversionOutbox)
      .where(sql`${conversionOutbox.destinationId} = ${d.id} and ${conversionOutbox.status} in ('rejected', 'dropped')`)
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
