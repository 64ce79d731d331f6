import { and, asc, eq, gt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistMembers, organizationMembers } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import type { Role } from "./compare-roles";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
  /** How the role is held: an organization membership or a direct artist grant. */
  via: "organization" | "artist";
}

/**
 * Members of an organization, or of an artist: its direct grants, then (first page only)
 * the members of its organization, whose roles carry to it. Oldest first.
 * @throws AppError NOT_FOUND when the scope is not visible.
 */
export async function listMembers({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; limit: number; cursor?: string | undefined } }): Promise<Page<MemberView>> {
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: "viewer", keyScope: "read" } });
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const table = resolved.organizationId ? organizationMembers : artistMembers;
  const scopeWhere = resolved.organizationId ? eq(organizationMembers.organizationId, resolved.organizationId) : eq(artistMembers.artistId, resolved.artistId!);
  const where: (SQL | undefined)[] = [scopeWhere];
  if (after) where.push(or(gt(table.createdAt, after.createdAt), and(eq(table.createdAt, after.createdAt), gt(table.userId, after.id))));
  const rows = await ctx.db
    .select({ userId: table.userId, role: table.role, joinedAt: table.createdAt, name: users.name, email: users.email })
    .from(table)
    .innerJoin(users, eq(users.id, table.userId))
    .where(and(...where))
    .orderBy(asc(table.createdAt), asc(table.userId))
    .limit(input.limit + 1);
  const via = resolved.organizationId ? ("organization" as const) : ("artist" as const);
  const page = toPage(rows, input.limit, (r) => ({ createdAt: r.joinedAt, id: r.userId }), (r) => ({ ...r, role: r.role as Role, via }));
  if (resolved.artistOrganizationId && !after) {
    const inherited = await ctx.db
      .select({ userId: organizationMembers.userId, role: organizationMembers.role, joinedAt: organizationMembers.createdAt, name: users.name, email: users.email })
      .from(organizationMembers)
      .innerJoin(users, eq(users.id, organizationMembers.userId))
      .where(eq(organizationMembers.organizationId, resolved.artistOrganizationId))
      .orderBy(asc(organizationMembers.createdAt));
    page.data.push(...inherited.map((r) => ({ ...r, role: r.role as Role, via: "organization" as const })));
  }
  return page;
}
