import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artistMembers, organizationMembers } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { AppError, notFound } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { ROLES, type Role } from "./compare-roles";
import { countAdmins } from "./count-admins";
import type { MemberView } from "./list-members";
import { lockScope } from "./lock-scope";
import { recordAudit } from "./record-audit";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

/**
 * Changes a member's role (admin of the scope, or an API key with `members.write`).
 * The last admin cannot be demoted. A key can neither grant nor change the admin role.
 * @throws AppError BAD_REQUEST (`role`), NOT_FOUND (scope or member), FORBIDDEN,
 *   CONFLICT (last admin).
 */
export async function changeMemberRole({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; userId: string; role: unknown } }): Promise<MemberView> {
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: "admin", keyScope: "members.write" } });
  const { role } = parseInput(z.object({ role: z.enum(ROLES) }), { role: input.role });
  return inTransaction(ctx, async (tx) => {
    await lockScope({ ctx: tx, input: resolved });
    const table = resolved.organizationId ? organizationMembers : artistMembers;
    const scopeWhere = resolved.organizationId ? eq(organizationMembers.organizationId, resolved.organizationId) : eq(artistMembers.artistId, resolved.artistId!);
    const [current] = await tx.db
      .select({ role: table.role, joinedAt: table.createdAt, name: users.name, email: users.email })
      .from(table)
      .innerJoin(users, eq(users.id, table.userId))
      .where(and(scopeWhere, eq(table.userId, input.userId)));
    if (!current) throw notFound(`member ${input.userId}`);
    // Keys act below admin: they neither grant the admin role nor take it away.
    if (ctx.actor.kind === "api_key" && (role === "admin" || current.role === "admin")) throw new AppError("FORBIDDEN", "API keys cannot grant or change the admin role; sign in as an admin");
    const guarded = resolved.organizationId !== null || resolved.artistOrganizationId === null;
    if (guarded && current.role === "admin" && role !== "admin" && (await countAdmins({ ctx: tx, input: { ...resolved, exceptUserId: input.userId } })) === 0) {
      throw new AppError("CONFLICT", `cannot demote the last admin of ${resolved.name}; make someone else admin first`);
    }
    await tx.db.update(table).set({ role }).where(and(scopeWhere, eq(table.userId, input.userId)));
    await recordAudit({
      ctx: tx,
      input: { organizationId: resolved.organizationId, artistId: resolved.artistId, action: "member.change_role", resourceType: "member", resourceId: input.userId, summary: `changed ${current.email}'s role from ${current.role} to ${role}`, metadata: { from: current.role, to: role } },
    });
    return { userId: input.userId, name: current.name, email: current.email, role: role as Role, joinedAt: current.joinedAt, via: resolved.organizationId ? "organization" : "artist" };
  });
}
