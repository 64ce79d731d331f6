import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artists } from "../../db/schema/play";
import { badRequest, notFound } from "../../lib/errors";
import { recomputeRollupDay } from "./recompute-rollup-day";

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "is not a calendar date");

const RebuildInput = z
  .object({
    artistId: z.string().regex(/^art_[0-9a-z]{26}$/, "must be an artist id (art_…)").optional(),
    /** Alternative to `artistId` (the CLI's `--artist` takes either). */
    artistSlug: z.string().min(1).max(100).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "must not be before from", path: ["to"] });

export type RebuildRollupsInput = z.input<typeof RebuildInput>;

/**
 * Rebuilds analytics rollups from raw events (the source of truth): every `(artist, UTC
 * day)` slice that has events or rollup rows, optionally limited to one artist and an
 * inclusive UTC date range, is recomputed now (`recomputeRollupDay`). Days whose events are
 * gone lose their rollup rows. Safe while the job runs (slices are locked and replaced).
 * CLI: `backbeat analytics rebuild-rollups [--artist <id|slug>] [--from YYYY-MM-DD] [--to YYYY-MM-DD]`.
 *
 * @throws AppError BAD_REQUEST naming `artistId`, `from` or `to`; NOT_FOUND for an unknown `artistSlug`.
 * @returns slices recomputed.
 */
export async function rebuildRollups({ ctx, input }: { ctx: Ctx; input: RebuildRollupsInput }): Promise<{ slices: number }> {
  const parsed = RebuildInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(issue.path.join(".") || "input", issue.message);
  }
  const { from, to } = parsed.data;
  let artistId = parsed.data.artistId;
  if (parsed.data.artistSlug !== undefined) {
    const [artist] = await ctx.db.select({ id: artists.id }).from(artists).where(eq(artists.slug, parsed.data.artistSlug));
    if (!artist) throw notFound(`artist "${parsed.data.artistSlug}"`);
    artistId = artist.id;
  }
  const artistFilter = (column: string) => (artistId ? sql`and ${sql.raw(column)} = ${artistId}` : sql``);
  const eventRange = sql`${from ? sql`and occurred_at >= (${from}::date)::timestamp at time zone 'UTC'` : sql``} ${to ? sql`and occurred_at < (${to}::date + 1)::timestamp at time zone 'UTC'` : sql``}`;
  const dayRange = sql`${from ? sql`and day >= ${from}::date` : sql``} ${to ? sql`and day <= ${to}::date` : sql``}`;
  const slices = await ctx.db.execute(sql`
    select artist_id, (occurred_at at time zone 'UTC')::date::text as day from engagement_events where true ${artistFilter("artist_id")} ${eventRange}
    union
    select artist_id, day::text from analytics_daily where true ${artistFilter("artist_id")} ${dayRange}
    order by 1, 2`);
  for (const row of slices.rows as Array<{ artist_id: string; day: string }>) {
    await recomputeRollupDay({ ctx, input: { artistId: row.artist_id, day: row.day } });
  }
  return { slices: slices.rows.length };
}
