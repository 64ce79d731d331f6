import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers, organizationMembers } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { AppError, notFound } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { countAdmins } from "./count-admins";
import { lockScope } from "./lock-scope";
import { recordAudit } from "./record-audit";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

/**
 * Removes a member (admin of the scope, an API key with `members.write`, or the member
 * themself = leave). Takes effect on the actor's next request: access is read from the
 * database every time. The last admin can neither leave nor be removed; a key cannot
 * remove an admin.
 * @throws AppError NOT_FOUND, FORBIDDEN, CONFLICT (last admin).
 */
export async function removeMember({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; userId: string } }): Promise<void> {
  const self = ctx.actor.kind === "user" && ctx.actor.userId === input.userId;
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: self ? "viewer" : "admin", keyScope: "members.write" } });
  await inTransaction(ctx, async (tx) => {
    await lockScope({ ctx: tx, input: resolved });
    const table = resolved.organizationId ? organizationMembers : artistMembers;
    const scopeWhere = resolved.organizationId ? eq(organizationMembers.organizationId, resolved.organizationId) : eq(artistMembers.artistId, resolved.artistId!);
    const [current] = await tx.db
      .select({ role: table.role, email: users.email })
      .from(table)
      .innerJoin(users, eq(users.id, table.userId))
      .where(and(scopeWhere, eq(table.userId, input.userId)));
    if (!current) throw notFound(`member ${input.userId}`);
    if (ctx.actor.kind === "api_key" && current.role === "admin") throw new AppError("FORBIDDEN", "API keys cannot remove an admin; sign in as an admin");
    const guarded = resolved.organizationId !== null || resolved.artistOrganizationId === null;
    if (guarded && current.role === "admin" && (await countAdmins({ ctx: tx, input: { ...resolved, exceptUserId: input.userId } })) === 0) {
      throw new AppError("CONFLICT", self ? `you are the last admin of ${resolved.name} and cannot leave; make someone else admin first` : `cannot remove the last admin of ${resolved.name}`);
    }
    await tx.db.delete(table).where(and(scopeWhere, eq(table.userId, input.userId)));
    await recordAudit({
      ctx: tx,
      input: { organizationId: resolved.organizationId, artistId: resolved.artistId, action: self ? "member.leave" : "member.remove", resourceType: "member", resourceId: input.userId, summary: self ? `${current.email} left` : `removed ${current.email} (${current.role})`, metadata: { role: current.role } },
    });
  });
}
