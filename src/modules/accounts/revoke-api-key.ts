import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { apiKeys } from "../../db/schema/accounts";
import { notFound } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { recordAudit } from "./record-audit";
import { requireOrganizationRole } from "./require-organization-role";

/**
 * Revokes an API key: its next request is refused (keys are checked against the database
 * on every request, nothing is cached). Repeating is a no-op.
 * @throws AppError NOT_FOUND (also another organization's key), FORBIDDEN.
 */
export async function revokeApiKey({ ctx, input }: { ctx: Ctx; input: { organizationId: string; apiKeyId: string } }): Promise<void> {
  await requireOrganizationRole({ ctx, input: { organizationId: input.organizationId, minRole: "admin", keyScope: null } });
  await inTransaction(ctx, async (tx) => {
    const row = await tx.db.query.apiKeys.findFirst({ where: and(eq(apiKeys.id, input.apiKeyId), eq(apiKeys.organizationId, input.organizationId)) });
    if (!row) throw notFound(`API key ${input.apiKeyId}`);
    if (row.revokedAt) return;
    await tx.db.update(apiKeys).set({ revokedAt: tx.clock.now() }).where(eq(apiKeys.id, row.id));
    await recordAudit({ ctx: tx, input: { organizationId: input.organizationId, artistId: null, action: "api_key.revoke", resourceType: "api_key", resourceId: row.id, summary: `revoked API key ${row.name}`, metadata: { name: row.name, prefix: row.prefix } } });
  });
}
