import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { organizationMembers, organizations } from "../../db/schema/accounts";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import type { Role } from "./compare-roles";
import type { OrganizationView } from "./create-organization";

/**
 * Organizations the actor belongs to (an API key: its own, as viewer), newest first.
 * @param input.limit 1…100; input.cursor from a previous page.
 */
export async function listOrganizations({ ctx, input }: { ctx: Ctx; input: { limit: number; cursor?: string | undefined } }): Promise<Page<OrganizationView>> {
  const { actor } = ctx;
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const where: (SQL | undefined)[] = [];
  if (after) where.push(or(lt(organizations.createdAt, after.createdAt), and(eq(organizations.createdAt, after.createdAt), lt(organizations.id, after.id))));
  if (actor.kind === "user") {
    const rows = await ctx.db
      .select({ organization: organizations, role: organizationMembers.role })
      .from(organizations)
      .innerJoin(organizationMembers, and(eq(organizationMembers.organizationId, organizations.id), eq(organizationMembers.userId, actor.userId)))
      .where(and(...where))
      .orderBy(desc(organizations.createdAt), desc(organizations.id))
      .limit(input.limit + 1);
    return toPage(rows, input.limit, (r) => r.organization, (r) => ({ id: r.organization.id, name: r.organization.name, role: r.role as Role, createdAt: r.organization.createdAt }));
  }
  if (actor.kind !== "api_key") return { data: [], nextCursor: null };
  const rows = await ctx.db
    .select()
    .from(organizations)
    .where(and(eq(organizations.id, actor.organizationId), ...where))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => r, (r) => ({ id: r.id, name: r.name, role: "viewer" as const, createdAt: r.createdAt }));
}
