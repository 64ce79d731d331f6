import { and, eq, gt } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists } from "../../db/schema/play";
import { roleOfRank, type Role } from "./compare-roles";
import { rankArtistRole } from "./rank-artist-role";

export type ArtistRow = typeof artists.$inferSelect;

/**
 * The artist if the actor may see it, with the actor's effective role (an API key counts
 * as `viewer`; its scopes decide writes). Null when it does not exist OR is not visible:
 * callers answer both with the same 404.
 */
export async function resolveArtistAccess({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<{ artist: ArtistRow; role: Role } | null> {
  const rank = rankArtistRole(ctx.actor);
  const [row] = await ctx.db
    .select({ artist: artists, rank })
    .from(artists)
    .where(and(eq(artists.id, input.artistId), gt(rank, 0)))
    .limit(1);
  const role = row ? roleOfRank(Number(row.rank)) : null;
  return row && role ? { artist: row.artist, role } : null;
}
