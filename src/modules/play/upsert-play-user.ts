import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { playUsers } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import type { FanProfile, TokenSet } from "../../providers/spotify/port";
import { sealTokens } from "./create-fan-token-store";

export type PlayUser = typeof playUsers.$inferSelect;

/** Provider text is untrusted: no control characters (Postgres refuses NUL), bounded. */
function clean(value: string | null, max: number): string | null {
  const text = value?.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, max);
  return text ? text : null;
}

/**
 * Creates or refreshes the Play user for a fan who just authorized: profile fields,
 * sealed tokens (P01) and a new consent time (Spotify refresh tokens last six months
 * from consent). Race-safe on the Spotify user id.
 */
export async function upsertPlayUser({ ctx, input }: { ctx: Ctx; input: { profile: FanProfile; tokens: TokenSet } }): Promise<PlayUser> {
  const { profile, tokens } = input;
  const now = ctx.clock.now();
  const fields = {
    displayName: clean(profile.displayName, 200),
    country: clean(profile.country, 2),
    product: clean(profile.product, 20),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    consentedAt: now,
    scopes: tokens.scope,
    updatedAt: now,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await ctx.db.query.playUsers.findFirst({ where: eq(playUsers.spotifyUserId, profile.id) });
    if (existing) {
      // Tokens are sealed with the row id as associated data, so seal for this row.
      const [updated] = await ctx.db
        .update(playUsers)
        .set({ ...fields, ...sealTokens(ctx, existing.id, tokens) })
        .where(eq(playUsers.id, existing.id))
        .returning();
      if (updated) return updated;
      continue;
    }
    const id = newId("playUser", now);
    const [inserted] = await ctx.db
      .insert(playUsers)
      .values({ id, spotifyUserId: profile.id, createdAt: now, ...fields, ...sealTokens(ctx, id, tokens) })
      .onConflictDoNothing()
      .returning();
    if (inserted) return inserted;
  }
  throw new Error("play user upsert did not settle");
}
