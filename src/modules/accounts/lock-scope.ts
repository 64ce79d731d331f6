import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { organizations } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";

/**
 * Locks the organization or artist row (SELECT … FOR UPDATE) so concurrent membership
 * changes of one scope run one after another: two admins demoting each other cannot
 * both pass the last-admin check.
 */
export async function lockScope({ ctx, input }: { ctx: Ctx; input: { organizationId: string | null; artistId: string | null } }): Promise<void> {
  if (input.organizationId) await ctx.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.organizationId)).for("update");
  else if (input.artistId) await ctx.db.select({ id: artists.id }).from(artists).where(eq(artists.id, input.artistId)).for("update");
}
