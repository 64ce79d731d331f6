import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { invitations } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import { toInvitationView, type InvitationView } from "./invitation-view";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

/**
 * Invitations of a scope, newest first (scope admin, or an API key with `members.write`).
 * @throws AppError NOT_FOUND, FORBIDDEN.
 */
export async function listInvitations({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; limit: number; cursor?: string | undefined } }): Promise<Page<InvitationView>> {
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: "admin", keyScope: "members.write" } });
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const where: (SQL | undefined)[] = [resolved.organizationId ? eq(invitations.organizationId, resolved.organizationId) : eq(invitations.artistId, resolved.artistId!)];
  if (after) where.push(or(lt(invitations.createdAt, after.createdAt), and(eq(invitations.createdAt, after.createdAt), lt(invitations.id, after.id))));
  const rows = await ctx.db
    .select({ invitation: invitations, inviterName: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedByUserId))
    .where(and(...where))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(input.limit + 1);
  const now = ctx.clock.now();
  return toPage(rows, input.limit, (r) => r.invitation, (r) => toInvitationView(r.invitation, now, r.invitation.invitedByUserId && r.inviterName ? { userId: r.invitation.invitedByUserId, name: r.inviterName } : null));
}
