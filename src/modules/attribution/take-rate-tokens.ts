import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";

export interface TakeRateTokensInput {
  /** Bucket name, e.g. `spotify`. */
  bucket: string;
  /**
   * Tokens wanted per piece of work, in order (each ≥ 1: the provider requests that piece
   * is about to make, e.g. one fan's sync). Each is capped at `capacity`.
   */
  needs: readonly number[];
  /** Refill rate, tokens per second. */
  ratePerSecond: number;
  /** Capacity (largest burst). */
  capacity: number;
}

export interface TakeRateTokensResult {
  /** How many leading `needs` were granted (their tokens are taken); the rest must wait. */
  granted: number;
  /** For each need not granted, in order: how long until the bucket holds enough for it (ms, ≥ 1). */
  retryAfterMs: number[];
}

/**
 * One app-wide token bucket per provider, in the database so every node spends from the
 * same budget. One UPDATE (the row's `updated_at` is the instant `tokens` was true at)
 * refills (`rate × elapsed`, capped at `capacity`) and takes, under the row's lock, the
 * tokens of the longest prefix of `needs` that the level covers — so a batch of fans
 * costs one statement, and two nodes never spend the same token. Nothing is taken for the
 * needs left over; the k-th one left over is told to come back when the bucket will have
 * refilled its share after those before it (`(Σ needs up to it − level) / rate`), which
 * spreads re-queued work instead of bunching it. Time is `ctx.clock`.
 */
export async function takeRateTokens({ ctx, input }: { ctx: Ctx; input: TakeRateTokensInput }): Promise<TakeRateTokensResult> {
  if (input.needs.length === 0) return { granted: 0, retryAfterMs: [] };
  const now = ctx.clock.now();
  const needs = input.needs.map((n) => Math.min(Math.max(n, 0), input.capacity));
  const cumulative: number[] = [];
  needs.reduce((sum, n) => (cumulative.push(sum + n), sum + n), 0);
  const take = () =>
    ctx.db.execute(sql`
      with current as (
        select least(${input.capacity}::float8,
                     tokens + greatest(0, extract(epoch from (${now}::timestamptz - updated_at))) * ${input.ratePerSecond}::float8) as level
        from rate_buckets where name = ${input.bucket} for update
      ), granted as (
        select c.level, coalesce(max(w.cum) filter (where w.cum <= c.level), 0) as taken
          from current c, jsonb_array_elements_text(${JSON.stringify(cumulative)}::jsonb) as t(cum_text), lateral (select t.cum_text::float8 as cum) w
         group by c.level
      )
      update rate_buckets b
         set tokens = g.level - g.taken,
             updated_at = greatest(b.updated_at, ${now}::timestamptz)
        from granted g
       where b.name = ${input.bucket}
       returning g.level as level`);
  // One statement in the steady state; the bucket row is created (full) on first use.
  let result = await take();
  if (result.rows.length === 0) {
    await ctx.db.execute(sql`insert into rate_buckets (name, tokens, updated_at) values (${input.bucket}, ${input.capacity}, ${now}) on conflict do nothing`);
    result = await take();
  }
  const level = Number((result.rows[0] as { level: number } | undefined)?.level ?? 0);
  let granted = 0;
  while (granted < cumulative.length && cumulative[granted]! <= level) granted += 1;
  const retryAfterMs = cumulative.slice(granted).map((cum) => Math.max(1, Math.ceil(((cum - level) / input.ratePerSecond) * 1000)));
  return { granted, retryAfterMs };
}
