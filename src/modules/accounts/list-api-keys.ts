import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { apiKeys } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import { toApiKeyView, type ApiKeyView } from "./api-key-view";
import { requireOrganizationRole } from "./require-organization-role";

/** An organization's API keys, revoked ones included, newest first (admins). @throws AppError NOT_FOUND, FORBIDDEN. */
export async function listApiKeys({ ctx, input }: { ctx: Ctx; input: { organizationId: string; limit: number; cursor?: string | undefined } }): Promise<Page<ApiKeyView>> {
  await requireOrganizationRole({ ctx, input: { organizationId: input.organizationId, minRole: "admin", keyScope: null } });
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const where: (SQL | undefined)[] = [eq(apiKeys.organizationId, input.organizationId)];
  if (after) where.push(or(lt(apiKeys.createdAt, after.createdAt), and(eq(apiKeys.createdAt, after.createdAt), lt(apiKeys.id, after.id))));
  const rows = await ctx.db
    .select({ key: apiKeys, creatorName: users.name })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
    .where(and(...where))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => r.key, (r) => toApiKeyView(r.key, r.key.createdByUserId && r.creatorName ? { userId: r.key.createdByUserId, name: r.creatorName } : null));
}
