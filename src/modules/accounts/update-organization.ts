import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { organizations } from "../../db/schema/accounts";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { organizationName, type OrganizationView } from "./create-organization";
import { recordAudit } from "./record-audit";
import { requireOrganizationRole } from "./require-organization-role";

/**
 * Renames an organization (admin).
 * @throws AppError NOT_FOUND, FORBIDDEN (not admin; API keys), BAD_REQUEST (`name`).
 */
export async function updateOrganization({ ctx, input }: { ctx: Ctx; input: { organizationId: string; name: unknown } }): Promise<OrganizationView> {
  const { organization, role } = await requireOrganizationRole({ ctx, input: { organizationId: input.organizationId, minRole: "admin", keyScope: null } });
  const { name } = parseInput(z.object({ name: organizationName }), { name: input.name });
  return inTransaction(ctx, async (tx) => {
    await tx.db.update(organizations).set({ name, updatedAt: tx.clock.now() }).where(eq(organizations.id, organization.id));
    await recordAudit({ ctx: tx, input: { organizationId: organization.id, artistId: null, action: "organization.update", resourceType: "organization", resourceId: organization.id, summary: `renamed organization ${organization.name} to ${name}`, metadata: { from: organization.name, to: name } } });
    return { id: organization.id, name, role, createdAt: organization.createdAt };
  });
}
