import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { playUsers } from "../../db/schema/play";
import { notFound } from "../../lib/errors";
import { open, seal } from "../../lib/seal";
import type { FanTokenStore, TokenSet } from "../../providers/spotify/port";

const place = (rowId: string, column: "access_token" | "refresh_token") => ({ table: "play_users", column, rowId });

/**
 * A `FanTokenStore` over one Play user's sealed tokens (P01): `load` opens them, `save`
 * seals and writes them (durably, before the client uses a refreshed token).
 * @throws AppError NOT_FOUND when the Play user was deleted meanwhile.
 */
export function createFanTokenStore(ctx: Pick<Ctx, "db" | "config" | "clock">, playUserId: string): FanTokenStore {
  return {
    key: playUserId,
    async load(): Promise<TokenSet> {
      const row = await ctx.db.query.playUsers.findFirst({ where: eq(playUsers.id, playUserId) });
      if (!row) throw notFound("play user");
      return {
        accessToken: open(ctx.config.keyRing, place(row.id, "access_token"), row.accessTokenSealed),
        refreshToken: open(ctx.config.keyRing, place(row.id, "refresh_token"), row.refreshTokenSealed),
        accessTokenExpiresAt: row.accessTokenExpiresAt,
        scope: row.scopes,
      };
    },
    async save(tokens: TokenSet): Promise<void> {
      await ctx.db
        .update(playUsers)
        .set({
          accessTokenSealed: seal(ctx.config.keyRing, place(playUserId, "access_token"), tokens.accessToken),
          refreshTokenSealed: seal(ctx.config.keyRing, place(playUserId, "refresh_token"), tokens.refreshToken),
          accessTokenExpiresAt: tokens.accessTokenExpiresAt,
          scopes: tokens.scope,
          updatedAt: ctx.clock.now(),
        })
        .where(eq(playUsers.id, playUserId));
    },
  };
}

/** Seals a token set for a given Play user row id (used when inserting the row). */
export function sealTokens(ctx: Pick<Ctx, "config">, rowId: string, tokens: TokenSet) {
  return {
    accessTokenSealed: seal(ctx.config.keyRing, place(rowId, "access_token"), tokens.accessToken),
    refreshTokenSealed: seal(ctx.config.keyRing, place(rowId, "refresh_token"), tokens.refreshToken),
  };
}
