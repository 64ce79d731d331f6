import { eq } from "drizzle-orm";
import type { Actor, Ctx } from "../../context";
import { apiKeys } from "../../db/schema/accounts";
import { AppError } from "../../lib/errors";
import { hashToken } from "./hash-token";

/** `last_used_at` is written at most this often per key (ms): one UPDATE a minute, not one per request. */
export const LAST_USED_THROTTLE_MS = 60_000;

/**
 * The actor for a bearer secret `bb_…`: looked up by SHA-256 on every request, so a revoked
 * key is refused at once.
 * @throws AppError UNAUTHORIZED for an unknown, malformed or revoked key (one message:
 *   never says which).
 */
export async function authenticateApiKey({ ctx, input }: { ctx: Ctx; input: { secret: string } }): Promise<Extract<Actor, { kind: "api_key" }>> {
  const refused = new AppError("UNAUTHORIZED", "invalid or revoked API key");
  if (!/^bb_[A-Za-z0-9_-]{43}$/.test(input.secret)) throw refused;
  const key = await ctx.db.query.apiKeys.findFirst({ where: eq(apiKeys.secretHash, hashToken(input.secret)) });
  if (!key || key.revokedAt) throw refused;
  const now = ctx.clock.now();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_THROTTLE_MS) {
    await ctx.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
  }
  return { kind: "api_key", apiKeyId: key.id, organizationId: key.organizationId, scopes: key.scopes };
}
