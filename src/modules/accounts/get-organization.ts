import type { Ctx } from "../../context";
import type { OrganizationView } from "./create-organization";
import { requireOrganizationRole } from "./require-organization-role";

/** One organization with the actor's role. @throws AppError NOT_FOUND when not a member. */
export async function getOrganization({ ctx, input }: { ctx: Ctx; input: { organizationId: string } }): Promise<OrganizationView> {
  const { organization, role } = await requireOrganizationRole({ ctx, input: { organizationId: input.organizationId, minRole: "viewer", keyScope: "read" } });
  return { id: organization.id, name: organization.name, role, createdAt: organization.createdAt };
}
