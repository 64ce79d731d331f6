import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers, invitations, organizationMembers } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { AppError } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import type { Role } from "./compare-roles";
import { findInvitationByToken } from "./find-invitation-by-token";
import { toInvitationView } from "./invitation-view";
import { recordAudit } from "./record-audit";
import { requireUser } from "./require-user";

/**
 * Accepts an invitation as the signed-in user, whose e-mail must equal the invited one.
 * An existing membership is raised to the invited role, never lowered.
 * @throws AppError UNAUTHORIZED, NOT_FOUND (unknown token), FORBIDDEN (other e-mail),
 *   CONFLICT (revoked, expired or already accepted).
 */
export async function acceptInvitation({ ctx, input }: { ctx: Ctx; input: { token: string } }): Promise<{ organizationId: string | null; artistId: string | null; role: Role }> {
  const { userId } = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const found = await findInvitationByToken(tx, input.token);
    // Lock the invitation so two tabs accepting at once make one membership.
    const [row] = await tx.db.select().from(invitations).where(eq(invitations.id, found.id)).for("update");
    const now = tx.clock.now();
    const view = toInvitationView(row!, now, null);
    if (view.status !== "pending") throw new AppError("CONFLICT", `this invitation is ${view.status}`);
    const user = await tx.db.query.users.findFirst({ where: eq(users.id, userId) });
    if (!user || user.email.toLowerCase() !== view.email) {
      throw new AppError("FORBIDDEN", `this invitation was sent to another e-mail address; sign in as ${view.email} to accept it`);
    }
    // Qualified by hand: a Drizzle column inside raw SQL may render without its table.
    const rank = (column: string) => sql.raw(`case ${column} when 'admin' then 3 when 'editor' then 2 else 1 end`);
    if (view.organizationId) {
      await tx.db
        .insert(organizationMembers)
        .values({ organizationId: view.organizationId, userId, role: view.role, createdAt: now })
        .onConflictDoUpdate({ target: [organizationMembers.organizationId, organizationMembers.userId], set: { role: sql`case when ${rank("excluded.role")} > ${rank('"organization_members"."role"')} then excluded.role else "organization_members"."role" end` } });
    } else {
      await tx.db
        .insert(artistMembers)
        .values({ artistId: view.artistId!, userId, role: view.role, createdAt: now })
        .onConflictDoUpdate({ target: [artistMembers.artistId, artistMembers.userId], set: { role: sql`case when ${rank("excluded.role")} > ${rank('"artist_members"."role"')} then excluded.role else "artist_members"."role" end` } });
    }
    await tx.db.update(invitations).set({ status: "accepted", acceptedAt: now, acceptedByUserId: userId }).where(eq(invitations.id, view.id));
    await recordAudit({ ctx: tx, input: { organizationId: view.organizationId, artistId: view.artistId, action: "invitation.accept", resourceType: "invitation", resourceId: view.id, summary: `${view.email} joined as ${view.role}`, metadata: { role: view.role } } });
    return { organizationId: view.organizationId, artistId: view.artistId, role: view.role };
  });
}
