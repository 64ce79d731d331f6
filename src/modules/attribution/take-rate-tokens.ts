import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";

export interface TakeRateTokensInput {
  /** Bucket name, e.g. `spotify`. */
  bucket: string;
  /** Tokens wanted (≥ 1): the number of provider requests about to be made. */
  tokens: number;
  /** Refill rate, tokens per second. */
  ratePerSecond: number;
  /** Capacity (largest burst). */
  capacity: number;
}

/**
 * One app-wide token bucket per provider, in the database so every node spends from the
 * same budget. One UPDATE (the row's `updated_at` is the instant `tokens` was true at) refills (`rate × elapsed`, capped at `capacity`) and takes, under
 * the row's lock, so two nodes never spend the same token. Time is `ctx.clock`.
 * @returns `{ granted: true }`, or `{ granted: false, retryAfterMs }` — how long until
 *   enough tokens exist (ms). Nothing is taken when not granted.
 */
export async function takeRateTokens({ ctx, input }: { ctx: Ctx; input: TakeRateTokensInput }): Promise<{ granted: true } | { granted: false; retryAfterMs: number }> {
  const now = ctx.clock.now();
  const want = Math.min(input.tokens, input.capacity);
  const take = () =>
    ctx.db.execute(sql`
      with current as (
        select least(${input.capacity}::float8,
                     tokens + greatest(0, extract(epoch from (${now}::timestamptz - updated_at))) * ${input.ratePerSecond}::float8) as level
        from rate_buckets where name = ${input.bucket} for update
      )
      update rate_buckets b
         set tokens = case when c.level >= ${want}::float8 then c.level - ${want}::float8 else c.level end,
             updated_at = greatest(b.updated_at, ${now}::timestamptz)
        from current c
       where b.name = ${input.bucket}
       returning c.level >= ${want}::float8 as granted, c.level as level`);
  // One statement in the steady state; the bucket row is created (full) on first use.
  let result = await take();
  if (result.rows.length === 0) {
    await ctx.db.execute(sql`insert into rate_buckets (name, tokens, updated_at) values (${input.bucket}, ${input.capacity}, ${now}) on conflict do nothing`);
    result = await take();
  }
  const row = result.rows[0] as { granted: boolean; level: number } | undefined;
  if (row?.granted) return { granted: true };
  const missing = want - Number(row?.level ?? 0);
  return { granted: false, retryAfterMs: Math.max(1, Math.ceil((missing / input.ratePerSecond) * 1000)) };
}
