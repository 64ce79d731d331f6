import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { invitations } from "../../db/schema/accounts";
import { AppError, notFound } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { recordAudit } from "./record-audit";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

/**
 * Revokes a pending invitation: its link stops working at once. Revoking a revoked one is
 * a no-op. @throws AppError NOT_FOUND (also for another scope's invitation), FORBIDDEN,
 * CONFLICT (already accepted).
 */
export async function revokeInvitation({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; invitationId: string } }): Promise<void> {
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: "admin", keyScope: "members.write" } });
  const scopeWhere = resolved.organizationId ? eq(invitations.organizationId, resolved.organizationId) : eq(invitations.artistId, resolved.artistId!);
  await inTransaction(ctx, async (tx) => {
    const row = await tx.db.query.invitations.findFirst({ where: and(eq(invitations.id, input.invitationId), scopeWhere) });
    if (!row) throw notFound(`invitation ${input.invitationId}`);
    if (row.status === "revoked") return;
    if (row.status === "accepted") throw new AppError("CONFLICT", "this invitation was already accepted; remove the member instead");
    await tx.db.update(invitations).set({ status: "revoked", revokedAt: tx.clock.now() }).where(eq(invitations.id, row.id));
    await recordAudit({ ctx: tx, input: { organizationId: resolved.organizationId, artistId: resolved.artistId, action: "invitation.revoke", resourceType: "invitation", resourceId: row.id, summary: `revoked the invitation of ${row.email}`, metadata: { email: row.email, role: row.role } } });
  });
}
