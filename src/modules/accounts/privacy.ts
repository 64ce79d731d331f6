import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { authAccounts, authSessions, users } from "../../db/schema/auth";
import { inTransaction } from "../../lib/in-transaction";
import { eraseUserAccess } from "./erase-user-access";

/**
 * The accounts module's data-subject hooks for a Platform user, keyed by user id.
 *
 * `exportPlatformUser` → `{ profile, signInMethods, sessions }` or null: the profile, how
 * the user signs in (provider and provider account id) and their open sessions (when,
 * from which IP and browser). Never password hashes, session tokens or OAuth tokens (P02).
 * `erasePlatformUser` deletes the user; sessions and sign-in methods cascade with it in the
 * same statement. Idempotent: an unknown user answers `{ erased: false }`.
 * Memberships and direct artist grants go through `eraseUserAccess` first (may refuse with
 * CONFLICT); audit entries keep the action without the user id.
 * @throws AppError CONFLICT while the user is the only admin of a shared organization/artist.
 */
export async function exportPlatformUser({ ctx, input }: { ctx: Ctx; input: { userId: string } }) {
  const user = await ctx.db.query.users.findFirst({ where: eq(users.id, input.userId) });
  if (!user) return null;
  const accounts = await ctx.db.select().from(authAccounts).where(eq(authAccounts.userId, user.id));
  const sessions = await ctx.db.select().from(authSessions).where(eq(authSessions.userId, user.id));
  return {
    profile: { id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, image: user.image, createdAt: user.createdAt, updatedAt: user.updatedAt },
    signInMethods: accounts.map((a) => ({
      provider: a.providerId === "credential" ? "email_password" : a.providerId,
      providerAccountId: a.providerId === "credential" ? null : a.accountId,
      createdAt: a.createdAt,
    })),
    sessions: sessions.map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt, ipAddress: s.ipAddress, userAgent: s.userAgent })),
  };
}

export async function erasePlatformUser({ ctx, input }: { ctx: Ctx; input: { userId: string } }): Promise<{ erased: boolean }> {
  // Memberships first, in the same transaction (see eraseUserAccess: refused with CONFLICT
  // while the user is the only admin of an organization or artist others still use).
  return inTransaction(ctx, async (tx) => {
    await eraseUserAccess({ ctx: tx, input: { userId: input.userId } });
    const deleted = await tx.db.delete(users).where(eq(users.id, input.userId)).returning({ id: users.id });
    return { erased: deleted.length > 0 };
  });
}
