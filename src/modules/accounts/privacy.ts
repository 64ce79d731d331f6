import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { apiKeys, artistMembers, auditLog, idempotencyKeys, organizationMembers, organizations, userProcessingChoices } from "../../db/schema/accounts";
import { authAccounts, authSessions, users } from "../../db/schema/auth";
import { artists } from "../../db/schema/play";
import { inTransaction } from "../../lib/in-transaction";
import { eraseUserAccess } from "./erase-user-access";
import { pseudonymizeAuditActor } from "./pseudonymize-audit-actor";
import { pseudonymizeInvitee } from "./pseudonymize-invitee";

/**
 * The accounts module's data-subject hooks for a Platform user, keyed by user id (P18).
 *
 * `exportPlatformUser` → everything Backbeat holds about the user, or null:
 * `{ profile, signInMethods, sessions, organizations, artistGrants, apiKeysCreated,
 * auditEntries, processingChoices }` — the profile; how they sign in (provider and provider
 * account id); open sessions (when, IP, browser); organization roles and direct artist
 * grants; metadata of the API keys they created (name, prefix, scopes, dates); the audit
 * entries they made; their restriction / objection history. Never password hashes, session
 * tokens, OAuth tokens or API-key secrets / hashes (P02). Times are `Date` (UTC).
 *
 * `erasePlatformUser` deletes the user in one transaction: memberships through
 * `eraseUserAccess` (may refuse with CONFLICT: only admin of a shared organization/artist);
 * audit entries pseudonymized (`pseudonymizeAuditActor`), and so is the e-mail of the
 * invitations they accepted (`pseudonymizeInvitee`); the user's stored
 * `Idempotency-Key` answers deleted (they can hold their data); then the `users` row —
 * sessions, sign-in methods and processing choices cascade with it. Idempotent: an unknown
 * user answers `{ erased: false }`.
 * @throws AppError CONFLICT while the user is the only admin of a shared organization/artist.
 */
export async function exportPlatformUser({ ctx, input }: { ctx: Ctx; input: { userId: string } }) {
  const user = await ctx.db.query.users.findFirst({ where: eq(users.id, input.userId) });
  if (!user) return null;
  const accounts = await ctx.db.select().from(authAccounts).where(eq(authAccounts.userId, user.id));
  const sessions = await ctx.db.select().from(authSessions).where(eq(authSessions.userId, user.id));
  const orgs = await ctx.db
    .select({ organizationId: organizations.id, name: organizations.name, role: organizationMembers.role, since: organizationMembers.createdAt })
    .from(organizationMembers)
    .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
    .where(eq(organizationMembers.userId, user.id))
    .orderBy(asc(organizationMembers.createdAt));
  const grants = await ctx.db
    .select({ artistId: artists.id, name: artists.name, role: artistMembers.role, since: artistMembers.createdAt })
    .from(artistMembers)
    .innerJoin(artists, eq(artists.id, artistMembers.artistId))
    .where(eq(artistMembers.userId, user.id))
    .orderBy(asc(artistMembers.createdAt));
  const keys = await ctx.db
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.createdByUserId, user.id))
    .orderBy(asc(apiKeys.createdAt));
  const audit = await ctx.db
    .select({ id: auditLog.id, at: auditLog.at, organizationId: auditLog.organizationId, artistId: auditLog.artistId, sessionId: auditLog.sessionId, action: auditLog.action, resourceType: auditLog.resourceType, resourceId: auditLog.resourceId, summary: auditLog.summary, metadata: auditLog.metadata })
    .from(auditLog)
    .where(eq(auditLog.actorUserId, user.id))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const choices = await ctx.db
    .select({ restrict: userProcessingChoices.restrict, object: userProcessingChoices.object, sessionId: userProcessingChoices.sessionId, recordedAt: userProcessingChoices.recordedAt })
    .from(userProcessingChoices)
    .where(eq(userProcessingChoices.userId, user.id))
    .orderBy(asc(userProcessingChoices.recordedAt), asc(userProcessingChoices.id));
  return {
    profile: { id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, image: user.image, createdAt: user.createdAt, updatedAt: user.updatedAt },
    signInMethods: accounts.map((a) => ({
      provider: a.providerId === "credential" ? "email_password" : a.providerId,
      providerAccountId: a.providerId === "credential" ? null : a.accountId,
      createdAt: a.createdAt,
    })),
    sessions: sessions.map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt, ipAddress: s.ipAddress, userAgent: s.userAgent })),
    organizations: orgs,
    artistGrants: grants,
    apiKeysCreated: keys,
    auditEntries: audit,
    processingChoices: choices,
  };
}

export type PlatformUserExport = NonNullable<Awaited<ReturnType<typeof exportPlatformUser>>>;

export async function erasePlatformUser({ ctx, input }: { ctx: Ctx; input: { userId: string } }): Promise<{ erased: boolean; deletedOrganizationIds: string[] }> {
  // Memberships first, in the same transaction (see eraseUserAccess: refused with CONFLICT
  // while the user is the only admin of an organization or artist others still use).
  return inTransaction(ctx, async (tx) => {
    const user = await tx.db.query.users.findFirst({ where: eq(users.id, input.userId) });
    if (!user) return { erased: false, deletedOrganizationIds: [] };
    // Scopes first (eraseUserAccess locks the user's organizations and artists), then the
    // user row: every erasure and membership change takes its locks in that order, so two
    // admins of one organization deleting their accounts at once queue instead of deadlocking.
    const { deletedOrganizationIds } = await eraseUserAccess({ ctx: tx, input: { userId: user.id } });
    await tx.db.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
    await pseudonymizeAuditActor({ ctx: tx, input: { userId: user.id, email: user.email } });
    await pseudonymizeInvitee({ ctx: tx, input: { userId: user.id, email: user.email } });
    await tx.db.delete(idempotencyKeys).where(eq(idempotencyKeys.scope, `user:${user.id}`));
    const deleted = await tx.db.delete(users).where(eq(users.id, user.id)).returning({ id: users.id });
    return { erased: deleted.length > 0, deletedOrganizationIds };
  });
}
