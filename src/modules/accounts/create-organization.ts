import { z } from "zod";
import type { Ctx } from "../../context";
import { organizationMembers, organizations } from "../../db/schema/accounts";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import type { Role } from "./compare-roles";
import { recordAudit } from "./record-audit";
import { requireUser } from "./require-user";

export const organizationName = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export interface OrganizationView {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
}

/**
 * A new organization with the signed-in user as its admin.
 * @throws AppError BAD_REQUEST (`name`), UNAUTHORIZED / FORBIDDEN for non-users.
 */
export async function createOrganization({ ctx, input }: { ctx: Ctx; input: { name: unknown } }): Promise<OrganizationView> {
  const { userId } = requireUser(ctx);
  const { name } = parseInput(z.object({ name: organizationName }), input);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const id = newId("organization", now);
    await tx.db.insert(organizations).values({ id, name, createdAt: now, updatedAt: now });
    await tx.db.insert(organizationMembers).values({ organizationId: id, userId, role: "admin", createdAt: now });
    await recordAudit({ ctx: tx, input: { organizationId: id, artistId: null, action: "organization.create", resourceType: "organization", resourceId: id, summary: `created organization ${name}`, metadata: { name } } });
    return { id, name, role: "admin" as const, createdAt: now };
  });
}
