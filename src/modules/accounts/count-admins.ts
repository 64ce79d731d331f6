import { and, count, eq, ne } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers, organizationMembers } from "../../db/schema/accounts";

/**
 * Admins of an organization, or direct admins of an artist, other than `exceptUserId`.
 * Call inside the write's transaction after locking the scope's row.
 */
export async function countAdmins({ ctx, input }: { ctx: Ctx; input: { organizationId: string | null; artistId: string | null; exceptUserId: string } }): Promise<number> {
  const [row] = input.organizationId
    ? await ctx.db.select({ n: count() }).from(organizationMembers).where(and(eq(organizationMembers.organizationId, input.organizationId), eq(organizationMembers.role, "admin"), ne(organizationMembers.userId, input.exceptUserId)))
    : await ctx.db.select({ n: count() }).from(artistMembers).where(and(eq(artistMembers.artistId, input.artistId!), eq(artistMembers.role, "admin"), ne(artistMembers.userId, input.exceptUserId)));
  return Number(row?.n ?? 0);
}
