import { and, asc, count, eq, inArray, ne } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers, organizationMembers, organizations } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";
import { AppError } from "../../lib/errors";

/**
 * Erasure hook (called by the auth module inside the transaction that deletes the user):
 * - refused while the user is the only admin of an organization, or of an artist without
 *   organization, that has other members: someone else must be made admin first
 *   (an organization is never left without an admin; the organization and artist rows are
 *   locked first, as membership changes do, so concurrent erasures and demotions queue);
 * - organizations where the user is the only member are deleted (keys, invitations and
 *   audit entries with them); their artists stay, without organization, for the operator;
 * - every membership and direct grant of the user goes. Audit entries keep the action
 *   but lose the actor's user id (FK set null); invitations they sent keep no inviter.
 * @returns ids of the deleted organizations.
 * @throws AppError CONFLICT naming the organizations/artists that need another admin.
 */
export async function eraseUserAccess({ ctx, input }: { ctx: Ctx; input: { userId: string } }): Promise<{ deletedOrganizationIds: string[] }> {
  const { userId } = input;
  // Lock every organization and artist the user belongs to (in id order, like any two
  // erasures would), so a concurrent erasure, demotion or removal in one of them waits and
  // the last-admin counts below see its outcome: two admins deleting their accounts at once
  // never leave an organization without an admin.
  const orgIds = (await ctx.db.select({ id: organizationMembers.organizationId }).from(organizationMembers).where(eq(organizationMembers.userId, userId))).map((r) => r.id).sort();
  if (orgIds.length > 0) await ctx.db.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, orgIds)).orderBy(asc(organizations.id)).for("update");
  const artistIds = (await ctx.db.select({ id: artistMembers.artistId }).from(artistMembers).where(eq(artistMembers.userId, userId))).map((r) => r.id).sort();
  if (artistIds.length > 0) await ctx.db.select({ id: artists.id }).from(artists).where(inArray(artists.id, artistIds)).orderBy(asc(artists.id)).for("update");
  const adminOf = await ctx.db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizationMembers)
    .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
    .where(and(eq(organizationMembers.userId, userId), eq(organizationMembers.role, "admin")));
  const blocked: string[] = [];
  const solo: string[] = [];
  for (const org of adminOf) {
    const [others] = await ctx.db.select({ n: count() }).from(organizationMembers).where(and(eq(organizationMembers.organizationId, org.id), ne(organizationMembers.userId, userId)));
    const [otherAdmins] = await ctx.db.select({ n: count() }).from(organizationMembers).where(and(eq(organizationMembers.organizationId, org.id), ne(organizationMembers.userId, userId), eq(organizationMembers.role, "admin")));
    if (Number(others?.n) === 0) solo.push(org.id);
    else if (Number(otherAdmins?.n) === 0) blocked.push(`organization ${org.name}`);
  }
  const artistAdminOf = await ctx.db
    .select({ id: artists.id, name: artists.name })
    .from(artistMembers)
    .innerJoin(artists, eq(artists.id, artistMembers.artistId))
    .where(and(eq(artistMembers.userId, userId), eq(artistMembers.role, "admin")));
  for (const artist of artistAdminOf) {
    const full = await ctx.db.query.artists.findFirst({ where: eq(artists.id, artist.id) });
    if (full?.organizationId) continue;
    const [others] = await ctx.db.select({ n: count() }).from(artistMembers).where(and(eq(artistMembers.artistId, artist.id), ne(artistMembers.userId, userId)));
    const [otherAdmins] = await ctx.db.select({ n: count() }).from(artistMembers).where(and(eq(artistMembers.artistId, artist.id), ne(artistMembers.userId, userId), eq(artistMembers.role, "admin")));
    if (Number(others?.n) > 0 && Number(otherAdmins?.n) === 0) blocked.push(`artist ${artist.name}`);
  }
  if (blocked.length > 0) {
    throw new AppError("CONFLICT", `make another member admin first; you are the only admin of ${blocked.join(", ")}`);
  }
  if (solo.length > 0) await ctx.db.delete(organizations).where(inArray(organizations.id, solo));
  await ctx.db.delete(organizationMembers).where(eq(organizationMembers.userId, userId));
  await ctx.db.delete(artistMembers).where(eq(artistMembers.userId, userId));
  return { deletedOrganizationIds: solo };
}
