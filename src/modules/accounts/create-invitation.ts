import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artistMembers, invitations, organizationMembers } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { ROLES } from "./compare-roles";
import { renderInvitationEmail } from "./emails/render-invitation-email";
import { hashToken } from "./hash-token";
import { toInvitationView, type InvitationView } from "./invitation-view";
import { recordAudit } from "./record-audit";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

/** Invitations expire 7 days after they are sent. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const inputSchema = z.object({
  email: z.email("must be an e-mail address").max(254).transform((e) => e.toLowerCase()),
  role: z.enum(ROLES),
});

/**
 * Invites an e-mail address to an organization or artist (scope admin, or an API key with
 * `members.write`) and e-mails the link `${PUBLIC_URL}/app/invitations/<token>?email=<invited>`. The token
 * (32 random bytes) is stored only as its SHA-256. A pending invitation to the same address
 * in the same scope is replaced (revoked). The e-mail is sent inside the transaction: if
 * the mailer fails, no invitation exists.
 * @returns the invitation and the token (for the e-mail only; the API never shows it).
 * @throws AppError BAD_REQUEST (`email`, `role`), NOT_FOUND, FORBIDDEN (also: an API key
 *   inviting an admin), CONFLICT (already a member), ProviderError from the mailer.
 */
export async function createInvitation({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; email: unknown; role: unknown } }): Promise<{ invitation: InvitationView; token: string }> {
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: "admin", keyScope: "members.write" } });
  const { email, role } = parseInput(inputSchema, { email: input.email, role: input.role });
  // A key acts below admin (it cannot make keys or read the audit log): inviting an admin
  // would hand those powers to whoever holds the key.
  if (ctx.actor.kind === "api_key" && role === "admin") throw new AppError("FORBIDDEN", "API keys cannot invite admins; sign in as an admin");
  return inTransaction(ctx, async (tx) => {
    const [member] = resolved.organizationId
      ? await tx.db.select({ id: users.id }).from(organizationMembers).innerJoin(users, eq(users.id, organizationMembers.userId)).where(and(eq(organizationMembers.organizationId, resolved.organizationId), eq(users.email, email)))
      : await tx.db.select({ id: users.id }).from(artistMembers).innerJoin(users, eq(users.id, artistMembers.userId)).where(and(eq(artistMembers.artistId, resolved.artistId!), eq(users.email, email)));
    if (member) throw new AppError("CONFLICT", `${email} is already a member of ${resolved.name}; change their role instead`);

    const now = tx.clock.now();
    const scopeWhere = resolved.organizationId ? eq(invitations.organizationId, resolved.organizationId) : eq(invitations.artistId, resolved.artistId!);
    await tx.db.update(invitations).set({ status: "revoked", revokedAt: now }).where(and(scopeWhere, eq(invitations.email, email), eq(invitations.status, "pending")));

    const token = randomBytes(32).toString("base64url");
    const inviter = ctx.actor.kind === "user" ? ctx.actor.userId : null;
    const [row] = await tx.db
      .insert(invitations)
      .values({ id: newId("invitation", now), organizationId: resolved.organizationId, artistId: resolved.artistId, email, role, tokenHash: hashToken(token), invitedByUserId: inviter, status: "pending", expiresAt: new Date(now.getTime() + INVITATION_TTL_MS), createdAt: now })
      .returning();
    const inviterRow = inviter ? await tx.db.query.users.findFirst({ where: eq(users.id, inviter) }) : undefined;
    await recordAudit({
      ctx: tx,
      input: { organizationId: resolved.organizationId, artistId: resolved.artistId, action: "invitation.create", resourceType: "invitation", resourceId: row!.id, summary: `invited ${email} as ${role}`, metadata: { email, role } },
    });

    // The invited address rides along so the dashboard's sign-up form can pre-fill it (the
    // accept step still checks the signed-in e-mail against the invitation).
    const acceptUrl = `${ctx.config.publicUrl}/app/invitations/${token}?${new URLSearchParams({ email }).toString()}`;
    const mail = renderInvitationEmail({ inviterName: inviterRow?.name ?? "A teammate", targetName: resolved.name, role, acceptUrl });
    await tx.mailer.sendEmail({ to: email, ...mail, idempotencyKey: `invitation:${row!.id}` });
    return { invitation: toInvitationView(row!, now, inviterRow ? { userId: inviterRow.id, name: inviterRow.name } : null), token };
  });
}
