import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import type { Db } from "../../db/client";
import { notFound } from "../../lib/errors";
import { open, seal } from "../../lib/seal";
import type { FanTokenStore, TokenSet } from "../../providers/spotify/port";

/** A Play user's sealed token columns, as read by the caller (one query for the whole batch). */
export interface SealedFanTokens {
  id: string;
  accessTokenSealed: string;
  refreshTokenSealed: string;
  accessTokenExpiresAt: Date;
  scopes: string;
}

const place = (rowId: string, column: "access_token" | "refresh_token") => ({ table: "play_users", column, rowId });

const openTokens = (ctx: Pick<Ctx, "config">, row: SealedFanTokens): TokenSet => ({
  accessToken: open(ctx.config.keyRing, place(row.id, "access_token"), row.accessTokenSealed),
  refreshToken: open(ctx.config.keyRing, place(row.id, "refresh_token"), row.refreshTokenSealed),
  accessTokenExpiresAt: row.accessTokenExpiresAt,
  scope: row.scopes,
});

interface Pending {
  id: string;
  fn: (locked: Pick<FanTokenStore, "load" | "save">) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * `FanTokenStore`s for a batch of Play users whose sealed tokens the caller already read
 * (P01: opened here, sealed again on save), so a batch sync costs no token query per fan.
 *
 * - `load()` opens the preloaded row (after a save: the saved set).
 * - `exclusive(fn)` calls made in the same turn of the event loop (every fan of a batch
 *   finding its access token stale) run together: ONE re-read of those rows — on
 *   PostgreSQL inside one transaction with `SELECT … ORDER BY id FOR UPDATE` (row locks
 *   shared by every node, taken in id order so two batches never deadlock) — each `fn`
 *   with its own locked load/save, then ONE `UPDATE` sealing every saved set, then commit.
 *   A fn's promise settles only after that write: a refreshed token is durable before the
 *   client uses it. One fan's failure (`invalid_grant`) rejects only that fan's call; a
 *   failing write rejects every call of the batch. On PGlite (one process, one connection)
 *   there is no transaction: the client's in-process single-flight serialises refreshes.
 * - `save()` outside `exclusive` writes that one row at once.
 * @throws AppError NOT_FOUND from a load when the Play user was deleted meanwhile.
 */
export function createFanTokenBatch(ctx: Pick<Ctx, "db" | "config" | "clock">, rows: readonly SealedFanTokens[]): (playUserId: string) => FanTokenStore {
  const latest = new Map<string, TokenSet | SealedFanTokens>(rows.map((r) => [r.id, r]));
  let pending: Pending[] = [];

  const current = (id: string): TokenSet => {
    const entry = latest.get(id);
    if (!entry) throw notFound("play user");
    if ("accessToken" in entry) return entry;
    const tokens = openTokens(ctx, entry);
    latest.set(id, tokens);
    return tokens;
  };

  const write = async (db: Db, saves: ReadonlyMap<string, TokenSet>): Promise<void> => {
    if (saves.size === 0) return;
    const now = ctx.clock.now();
    const values = JSON.stringify(
      [...saves].map(([id, t]) => ({
        id,
        a: seal(ctx.config.keyRing, place(id, "access_token"), t.accessToken),
        r: seal(ctx.config.keyRing, place(id, "refresh_token"), t.refreshToken),
        e: t.accessTokenExpiresAt.toISOString(),
        s: t.scope,
      })),
    );
    await db.execute(sql`
      update play_users u
         set access_token_sealed = v.a, refresh_token_sealed = v.r, access_token_expires_at = v.e, scopes = v.s, updated_at = ${now}::timestamptz
        from json_to_recordset(${values}::json) as v(id text, a text, r text, e timestamptz, s text)
       where u.id = v.id`);
    for (const [id, t] of saves) latest.set(id, t);
  };

  const runBatch = async (db: Db, batch: Pending[], lock: boolean): Promise<PromiseSettledResult<unknown>[]> => {
    const ids = [...new Set(batch.map((p) => p.id))].sort();
    const reread = await db.execute(sql`
      select id, access_token_sealed, refresh_token_sealed, (extract(epoch from access_token_expires_at) * 1000)::float8 as expires_ms, scopes
        from play_users where id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) order by id ${lock ? sql`for update` : sql``}`);
    const found = new Map<string, TokenSet>();
    for (const r of reread.rows as Array<{ id: string; access_token_sealed: string; refresh_token_sealed: string; expires_ms: number; scopes: string }>) {
      found.set(
        r.id,
        openTokens(ctx, { id: r.id, accessTokenSealed: r.access_token_sealed, refreshTokenSealed: r.refresh_token_sealed, accessTokenExpiresAt: new Date(Number(r.expires_ms)), scopes: r.scopes }),
      );
    }
    const saves = new Map<string, TokenSet>();
    const settled = await Promise.allSettled(
      batch.map((p) =>
        p.fn({
          load: async () => {
            const tokens = saves.get(p.id) ?? found.get(p.id);
            if (!tokens) throw notFound("play user");
            return tokens;
          },
          save: async (tokens) => {
            saves.set(p.id, tokens);
          },
        }),
      ),
    );
    await write(db, saves);
    return settled;
  };

  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    try {
      const settled = ctx.config.databaseUrl ? await ctx.db.transaction((tx) => runBatch(tx, batch, true)) : await runBatch(ctx.db, batch, false);
      settled.forEach((s, i) => (s.status === "fulfilled" ? batch[i]!.resolve(s.value) : batch[i]!.reject(s.reason)));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  return (playUserId) => ({
    key: playUserId,
    load: async () => current(playUserId),
    save: async (tokens) => write(ctx.db, new Map([[playUserId, tokens]])),
    exclusive: <T>(fn: (locked: Pick<FanTokenStore, "load" | "save">) => Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (pending.length === 0) setImmediate(() => void flush());
        pending.push({ id: playUserId, fn, resolve: resolve as (value: unknown) => void, reject });
      }),
  });
}
