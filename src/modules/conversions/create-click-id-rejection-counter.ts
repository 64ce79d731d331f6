import type { Logger } from "../../lib/logger";
import type { ClickIdRejection, ClickIdSource } from "./validate-click-id";

export interface ClickIdRejectionCounter {
  /** Counts one refused value. */
  add(source: ClickIdSource, reason: ClickIdRejection): void;
  /** Totals on this node since start, `source:reason` → count (tests, diagnostics). */
  totals(): Record<string, number>;
}

/**
 * Counts invalid click ids (dropped, never stored or sent; P10) per node. The operator sees
 * them as a log metric: one `info` line `{ metric: "click_id_rejected", source, reason,
 * count, total }` per source and reason at most every `intervalMs` (default one minute),
 * with the count since the previous line, so a flood of bad values costs one line a minute,
 * not one per request. The value itself is never logged.
 */
export function createClickIdRejectionCounter(options: { logger: Logger; now: () => number; intervalMs?: number }): ClickIdRejectionCounter {
  const interval = options.intervalMs ?? 60_000;
  const totals = new Map<string, number>();
  const pending = new Map<string, { count: number; loggedAt: number }>();
  return {
    add(source, reason) {
      const key = `${source}:${reason}`;
      const total = (totals.get(key) ?? 0) + 1;
      totals.set(key, total);
      const entry = pending.get(key) ?? { count: 0, loggedAt: -Infinity };
      entry.count += 1;
      const now = options.now();
      if (now - entry.loggedAt >= interval) {
        options.logger.info({ metric: "click_id_rejected", source, reason, count: entry.count, total }, "invalid click ids dropped");
        entry.count = 0;
        entry.loggedAt = now;
      }
      pending.set(key, entry);
    },
    totals: () => Object.fromEntries(totals),
  };
}
