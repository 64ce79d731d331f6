import type { Ctx } from "../context";
import type { Db } from "../db/client";

/**
 * Runs `work` in one transaction with a ctx whose `db` is that transaction, so every verb
 * it calls (and the audit entry) commits or rolls back together. Nested calls become
 * savepoints.
 */
export async function inTransaction<T>(ctx: Ctx, work: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => work({ ...ctx, db: tx as unknown as Db }));
}
