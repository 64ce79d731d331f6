import { and, desc, eq, gt, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists } from "../../db/schema/play";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import { toArtistView, type ArtistView } from "./artist-view";
import { roleOfRank } from "./compare-roles";
import { rankArtistRole } from "./rank-artist-role";

/**
 * Every artist the actor may see (see `rankArtistRole`) with the effective role, newest
 * first; optionally one organization's, or names containing `q`.
 */
export async function listArtists({ ctx, input }: { ctx: Ctx; input: { organizationId?: string | undefined; q?: string | undefined; limit: number; cursor?: string | undefined } }): Promise<Page<ArtistView>> {
  const rank = rankArtistRole(ctx.actor);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const where: (SQL | undefined)[] = [gt(rank, 0)];
  if (input.organizationId) where.push(eq(artists.organizationId, input.organizationId));
  if (input.q) where.push(ilike(artists.name, `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (after) where.push(or(lt(artists.createdAt, after.createdAt), and(eq(artists.createdAt, after.createdAt), lt(artists.id, after.id))));
  const rows = await ctx.db
    .select({ artist: artists, rank, links: sql<number>`(select count(*) from smart_links sl where sl.artist_id = "artists"."id")` })
    .from(artists)
    .where(and(...where))
    .orderBy(desc(artists.createdAt), desc(artists.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => r.artist, (r) => toArtistView(r.artist, roleOfRank(Number(r.rank))!, Number(r.links), ctx.config.publicUrl));
}
