import type { Ctx } from "../../context";
import { auditLog } from "../../db/schema/accounts";
import { newId } from "../../lib/ids";

export interface AuditInput {
  organizationId: string | null;
  artistId: string | null;
  /** `<resource>.<verb>`, e.g. `smart_link.update`. */
  action: string;
  resourceType: string;
  resourceId: string;
  /** One human sentence. */
  summary: string;
  /** Changed field names and non-secret values; never tokens or key secrets. */
  metadata?: Record<string, unknown>;
}

/**
 * Appends an audit entry for `ctx.actor`. Call it with the write's transaction as
 * `ctx.db` so the entry exists exactly when the write does.
 */
export async function recordAudit({ ctx, input }: { ctx: Ctx; input: AuditInput }): Promise<void> {
  const { actor } = ctx;
  const now = ctx.clock.now();
  await ctx.db.insert(auditLog).values({
    id: newId("auditEntry", now),
    at: now,
    organizationId: input.organizationId,
    artistId: input.artistId,
    actorKind: actor.kind === "user" || actor.kind === "api_key" ? actor.kind : "system",
    actorUserId: actor.kind === "user" ? actor.userId : null,
    actorApiKeyId: actor.kind === "api_key" ? actor.apiKeyId : null,
    sessionId: actor.kind === "user" ? actor.sessionId : null,
    action: input.action,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    summary: input.summary,
    metadata: input.metadata ?? {},
  });
}
