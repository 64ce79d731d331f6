import { LRUCache } from "lru-cache";
import type { Clock } from "../../lib/clock";

/** Better Auth's rate-limit storage contract (`rateLimit.customStorage.consume`). */
export interface RateLimitStore {
  consume(key: string, rule: { window: number; max: number }): Promise<{ allowed: boolean; retryAfter: number | null }>;
}

/**
 * Per-process, in-memory, fixed-window counters for Better Auth's rate limiter, on the
 * injected clock. One store per runtime (Better Auth's own memory storage is one Map per
 * process, shared by every instance). Bounded: the least recently used of 50 000 keys go
 * first. `window` is in seconds; `retryAfter` is whole seconds until the window ends.
 * Check and increment happen in one synchronous step, so concurrent requests cannot both
 * pass a stale count.
 */
export function createRateLimitStore(clock: Clock): RateLimitStore {
  const windows = new LRUCache<string, { start: number; count: number }>({ max: 50_000 });
  return {
    async consume(key, rule) {
      const now = clock.now().getTime();
      const windowMs = rule.window * 1000;
      const entry = windows.get(key);
      if (!entry || now - entry.start >= windowMs) {
        windows.set(key, { start: now, count: 1 });
        return { allowed: true, retryAfter: null };
      }
      if (entry.count >= rule.max) return { allowed: false, retryAfter: Math.max(1, Math.ceil((entry.start + windowMs - now) / 1000)) };
      entry.count += 1;
      return { allowed: true, retryAfter: null };
    },
  };
}
