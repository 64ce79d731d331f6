import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { organizationMembers, organizations } from "../../db/schema/accounts";
import { AppError, notFound } from "../../lib/errors";
import { compareRoles, type ApiScope, type Role } from "./compare-roles";

export type OrganizationRow = typeof organizations.$inferSelect;

/**
 * The first line of every organization-scoped verb: the organization, if the actor may do
 * this in it. A user sees organizations they belong to; an API key only its own (as
 * `viewer`, its scopes decide writes); system/cli see all (as admin).
 * @param input.keyScope scope an API key needs; null = API keys may not do this.
 * @throws AppError NOT_FOUND (missing or not visible), FORBIDDEN (role or scope short).
 */
export async function requireOrganizationRole({ ctx, input }: { ctx: Ctx; input: { organizationId: string; minRole: Role; keyScope: ApiScope | null } }): Promise<{ organization: OrganizationRow; role: Role }> {
  const { actor } = ctx;
  const missing = notFound(`organization ${input.organizationId}`);
  let organization: OrganizationRow | undefined;
  let role: Role;
  if (actor.kind === "user") {
    const [row] = await ctx.db
      .select({ organization: organizations, role: organizationMembers.role })
      .from(organizations)
      .innerJoin(organizationMembers, and(eq(organizationMembers.organizationId, organizations.id), eq(organizationMembers.userId, actor.userId)))
      .where(eq(organizations.id, input.organizationId))
      .limit(1);
    if (!row) throw missing;
    organization = row.organization;
    role = row.role as Role;
  } else if (actor.kind === "api_key" || actor.kind === "system" || actor.kind === "cli") {
    if (actor.kind === "api_key" && actor.organizationId !== input.organizationId) throw missing;
    organization = await ctx.db.query.organizations.findFirst({ where: eq(organizations.id, input.organizationId) });
    if (!organization) throw missing;
    role = actor.kind === "api_key" ? "viewer" : "admin";
  } else {
    throw missing;
  }
  if (actor.kind === "api_key") {
    if (!input.keyScope) throw new AppError("FORBIDDEN", "API keys cannot do this; sign in as an admin");
    if (!actor.scopes.includes(input.keyScope)) throw new AppError("FORBIDDEN", `this API key lacks the ${input.keyScope} scope`);
  } else if (compareRoles(role, input.minRole) < 0) {
    throw new AppError("FORBIDDEN", `this needs the ${input.minRole} role in the organization; you are ${role}`);
  }
  return { organization, role };
}
