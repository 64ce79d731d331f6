import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { apiKeys } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { API_SCOPES } from "./compare-roles";
import { hashToken } from "./hash-token";
import { toApiKeyView, type ApiKeyView } from "./api-key-view";
import { recordAudit } from "./record-audit";
import { requireOrganizationRole } from "./require-organization-role";
import { requireUser } from "./require-user";

const inputSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  scopes: z.array(z.enum(API_SCOPES)).min(1, "needs at least one scope").transform((s) => [...new Set(s)]),
});

/**
 * A new API key of an organization (admins, signed in; keys cannot make keys). The secret
 * `bb_` + base64url(32 random bytes) is returned once and stored only as its SHA-256
 * (see `hashToken` for why a fast hash is right for it).
 * @throws AppError BAD_REQUEST (`name`, `scopes`), NOT_FOUND, FORBIDDEN.
 */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: { organizationId: string; name: unknown; scopes: unknown } }): Promise<{ apiKey: ApiKeyView; secret: string }> {
  await requireOrganizationRole({ ctx, input: { organizationId: input.organizationId, minRole: "admin", keyScope: null } });
  const { userId } = requireUser(ctx);
  const { name, scopes } = parseInput(inputSchema, { name: input.name, scopes: input.scopes });
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const secret = `bb_${randomBytes(32).toString("base64url")}`;
    const [row] = await tx.db
      .insert(apiKeys)
      .values({ id: newId("apiKey", now), organizationId: input.organizationId, name, prefix: secret.slice(0, 11), secretHash: hashToken(secret), scopes, createdByUserId: userId, createdAt: now })
      .returning();
    await recordAudit({ ctx: tx, input: { organizationId: input.organizationId, artistId: null, action: "api_key.create", resourceType: "api_key", resourceId: row!.id, summary: `created API key ${name} (${scopes.join(", ")})`, metadata: { name, scopes, prefix: row!.prefix } } });
    const user = await tx.db.query.users.findFirst({ where: eq(users.id, userId) });
    return { apiKey: toApiKeyView(row!, user ? { userId, name: user.name } : null), secret };
  });
}
