import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { apiKeys, auditLog } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import { requireMembershipScope, type MembershipScope } from "./require-membership-scope";

export interface AuditEntryView {
  id: string;
  at: Date;
  actor: { kind: "user" | "api_key" | "system"; userId?: string; name?: string; apiKeyId?: string; apiKeyName?: string; /** A user who deleted their account (P18): `deleted-user-…`. */ pseudonym?: string };
  sessionId: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  summary: string;
  metadata: Record<string, unknown>;
}

/**
 * The audit log of an organization or an artist, newest first; admins only (signed in).
 * @throws AppError NOT_FOUND, FORBIDDEN.
 */
export async function listAuditLog({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; limit: number; cursor?: string | undefined } }): Promise<Page<AuditEntryView>> {
  const resolved = await requireMembershipScope({ ctx, input: { scope: input.scope, minRole: "admin", keyScope: null } });
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const where: (SQL | undefined)[] = [resolved.organizationId ? eq(auditLog.organizationId, resolved.organizationId) : eq(auditLog.artistId, resolved.artistId!)];
  if (after) where.push(or(lt(auditLog.at, after.createdAt), and(eq(auditLog.at, after.createdAt), lt(auditLog.id, after.id))));
  const rows = await ctx.db
    .select({ entry: auditLog, userName: users.name, keyName: apiKeys.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, auditLog.actorApiKeyId))
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(input.limit + 1);
  return toPage(
    rows,
    input.limit,
    (r) => ({ createdAt: r.entry.at, id: r.entry.id }),
    ({ entry, userName, keyName }) => ({
      id: entry.id,
      at: entry.at,
      actor: {
        kind: entry.actorKind as AuditEntryView["actor"]["kind"],
        ...(entry.actorUserId ? { userId: entry.actorUserId, ...(userName ? { name: userName } : {}) } : {}),
        ...(entry.actorApiKeyId ? { apiKeyId: entry.actorApiKeyId, ...(keyName ? { apiKeyName: keyName } : {}) } : {}),
        ...(entry.actorPseudonym ? { pseudonym: entry.actorPseudonym } : {}),
      },
      sessionId: entry.sessionId,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      summary: entry.summary,
      metadata: entry.metadata,
    }),
  );
}
