import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import type { Db } from "../../db/client";
import { playUsers } from "../../db/schema/play";
import { notFound } from "../../lib/errors";
import { open, seal } from "../../lib/seal";
import type { FanTokenStore, TokenSet } from "../../providers/spotify/port";

const place = (rowId: string, column: "access_token" | "refresh_token") => ({ table: "play_users", column, rowId });

/**
 * A `FanTokenStore` over one Play user's sealed tokens (P01): `load` opens them, `save`
 * seals and writes them (durably, before the client uses a refreshed token), `exclusive`
 * (PostgreSQL only) holds a row lock on the Play user for the duration of a refresh.
 * @throws AppError NOT_FOUND when the Play user was deleted meanwhile.
 */
export function createFanTokenStore(ctx: Pick<Ctx, "db" | "config" | "clock">, playUserId: string): FanTokenStore {
  const bound = (db: Db, lock: boolean) => ({
    async load(): Promise<TokenSet> {
      const query = db.select().from(playUsers).where(eq(playUsers.id, playUserId));
      const [row] = lock ? await query.for("update") : await query;
      if (!row) throw notFound("play user");
      return {
        accessToken: open(ctx.config.keyRing, place(row.id, "access_token"), row.accessTokenSealed),
        refreshToken: open(ctx.config.keyRing, place(row.id, "refresh_token"), row.refreshTokenSealed),
        accessTokenExpiresAt: row.accessTokenExpiresAt,
        scope: row.scopes,
      };
    },
    async save(tokens: TokenSet): Promise<void> {
      await db
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
  });
  return {
    key: playUserId,
    ...bound(ctx.db, false),
    // One refresh at a time across nodes: on PostgreSQL the Play user row stays locked
    // (SELECT … FOR UPDATE) while the refresh runs; a second node waits, then reads the
    // renewed tokens. PGlite is one process (the client's single-flight already serialises
    // refreshes there), and a transaction on its one connection would stall every other
    // query for as long as Spotify takes to answer.
    ...(ctx.config.databaseUrl ? { exclusive: <T>(fn: (locked: Pick<FanTokenStore, "load" | "save">) => Promise<T>) => ctx.db.transaction((tx) => fn(bound(tx, true))) } : {}),
  };
}

/** Seals a token set for a given Play user row id (used when inserting the row). */
export function sealTokens(ctx: Pick<Ctx, "config">, rowId: string, tokens: TokenSet) {
  return {
    accessTokenSealed: seal(ctx.config.keyRing, place(rowId, "access_token"), tokens.accessToken),
    refreshTokenSealed: seal(ctx.config.keyRing, place(rowId, "refresh_token"), tokens.refreshToken),
  };
}
