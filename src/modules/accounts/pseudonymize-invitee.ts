import { and, eq, ne, or } from "drizzle-orm";
import type { Ctx } from "../../context";
import { invitations } from "../../db/schema/accounts";
import { auditPseudonym } from "./pseudonymize-audit-actor";

/**
 * Erasure hook for invitations (P18): invitations the user accepted, and the other
 * settled ones (revoked / accepted) addressed to their e-mail, keep their row (the
 * organization's history) but their `email` becomes the user's audit pseudonym
 * (`deleted-user-<10 hex>`), so `GET …/invitations` no longer shows the address. Pending
 * invitations to the address stay as they are: they are the inviting team's, and the person
 * may sign up again to accept them. Run in the transaction that deletes the user, before the
 * delete (`accepted_by_user_id` is set null with it). Idempotent.
 * @returns how many invitations were changed.
 */
export async function pseudonymizeInvitee({ ctx, input }: { ctx: Ctx; input: { userId: string; email: string } }): Promise<{ invitations: number }> {
  const changed = await ctx.db
    .update(invitations)
    .set({ email: auditPseudonym(input.userId) })
    .where(or(eq(invitations.acceptedByUserId, input.userId), and(eq(invitations.email, input.email.toLowerCase()), ne(invitations.status, "pending"))))
    .returning({ id: invitations.id });
  return { invitations: changed.length };
}
