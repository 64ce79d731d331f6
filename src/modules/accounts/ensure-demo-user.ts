import { hashPassword, verifyPassword } from "better-auth/crypto";
import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { authAccounts, users } from "../../db/schema/auth";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";

export const DEMO_USER_EMAIL = "demo@backbeat.local";

/**
 * Creates the demo Platform user (`demo@backbeat.local`, name "Demo Manager") with an
 * e-mail + password sign-in, once. Idempotent: a second run changes nothing, except that a
 * stored password that no longer matches `config.demoPassword` (e.g. `.data/local-secrets.json`
 * was regenerated) is replaced, so the printed password always works.
 * The hash is Better Auth's own (scrypt), so `/auth/sign-in/email` accepts it.
 * @throws AppError UNAVAILABLE when no demo password is configured (production).
 */
export async function ensureDemoUser({ ctx }: { ctx: Ctx; input?: Record<string, never> }): Promise<{ userId: string; email: string; password: string; created: boolean }> {
  const password = ctx.config.demoPassword;
  if (!password) throw new AppError("UNAVAILABLE", "no demo password configured (BACKBEAT_DEMO_PASSWORD; never in production)");
  const now = ctx.clock.now();
  const existing = await ctx.db.query.users.findFirst({ where: eq(users.email, DEMO_USER_EMAIL) });
  if (existing) {
    const [credential] = await ctx.db
      .select()
      .from(authAccounts)
      .where(and(eq(authAccounts.userId, existing.id), eq(authAccounts.providerId, "credential")));
    if (!credential) {
      await ctx.db.insert(authAccounts).values({ id: newId("authAccount", now), accountId: existing.id, providerId: "credential", userId: existing.id, password: await hashPassword(password), createdAt: now, updatedAt: now });
    } else if (!credential.password || !(await verifyPassword({ hash: credential.password, password }))) {
      await ctx.db.update(authAccounts).set({ password: await hashPassword(password), updatedAt: now }).where(eq(authAccounts.id, credential.id));
    }
    return { userId: existing.id, email: DEMO_USER_EMAIL, password, created: false };
  }
  const hash = await hashPassword(password);
  const userId = newId("user", now);
  const created = await ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({ id: userId, name: "Demo Manager", email: DEMO_USER_EMAIL, emailVerified: true, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (inserted.length === 0) return false;
    await tx.insert(authAccounts).values({ id: newId("authAccount", now), accountId: userId, providerId: "credential", userId, password: hash, createdAt: now, updatedAt: now });
    return true;
  });
  if (!created) {
    // Another process created it between our read and insert.
    const winner = await ctx.db.query.users.findFirst({ where: eq(users.email, DEMO_USER_EMAIL) });
    return { userId: winner!.id, email: DEMO_USER_EMAIL, password, created: false };
  }
  return { userId, email: DEMO_USER_EMAIL, password, created: true };
}
