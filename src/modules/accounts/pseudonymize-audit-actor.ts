import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { auditLog } from "../../db/schema/accounts";

/** `deleted-user-<10 hex>`: stable per user id, not reversible to the person once the user row is gone. */
export function auditPseudonym(userId: string): string {
  return `deleted-user-${createHash("sha256").update(`backbeat.audit-pseudonym:${userId}`).digest("hex").slice(0, 10)}`;
}

/**
 * Erasure hook for the audit log (P18): the entries stay (organizations keep their
 * history) but stop naming the person. Entries the user made get `actor_pseudonym` and lose
 * `actor_user_id` and `session_id`; in every entry (any actor) the user's e-mail address in
 * the summary or metadata is replaced by the pseudonym ("ana@example.com joined as editor"
 * → "deleted-user-3f2a… joined as editor"), and entries about the user as a member
 * (`resource_type` `member`) get the pseudonym as `resource_id`. Run in the transaction that deletes the user,
 * before the delete. Idempotent.
 * @returns how many entries the user had made.
 */
export async function pseudonymizeAuditActor({ ctx, input }: { ctx: Ctx; input: { userId: string; email: string } }): Promise<{ entries: number }> {
  const pseudonym = auditPseudonym(input.userId);
  const mine = await ctx.db.update(auditLog).set({ actorPseudonym: pseudonym, actorUserId: null, sessionId: null }).where(eq(auditLog.actorUserId, input.userId)).returning({ id: auditLog.id });
  // E-mails are stored lower-cased; audit text quotes them as stored. JSON-escape for jsonb text.
  const email = input.email.toLowerCase();
  const inJson = JSON.stringify(email).slice(1, -1);
  await ctx.db.execute(sql`
    update audit_log
       set summary = replace(summary, ${email}, ${pseudonym}),
           metadata = replace(metadata::text, ${inJson}, ${pseudonym})::jsonb
     where strpos(summary, ${email}) > 0 or strpos(metadata::text, ${inJson}) > 0`);
  // Entries about the user as a member (role changed, removed, left) name them by user id.
  await ctx.db.update(auditLog).set({ resourceId: pseudonym }).where(and(eq(auditLog.resourceType, "member"), eq(auditLog.resourceId, input.userId)));
  return { entries: mine.length };
}
