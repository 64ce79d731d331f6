import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";

/**
 * Makes the demo user admin of the demo artist (direct grant). Idempotent: run on every
 * start; an existing grant is raised to admin. No-op when the artist does not exist.
 */
export async function grantDemoAdmin({ ctx, input }: { ctx: Ctx; input: { userId: string; artistSlug: string } }): Promise<boolean> {
  const artist = await ctx.db.query.artists.findFirst({ where: eq(artists.slug, input.artistSlug) });
  if (!artist) return false;
  await ctx.db
    .insert(artistMembers)
    .values({ artistId: artist.id, userId: input.userId, role: "admin", createdAt: ctx.clock.now() })
    .onConflictDoUpdate({ target: [artistMembers.artistId, artistMembers.userId], set: { role: "admin" } });
  return true;
}
