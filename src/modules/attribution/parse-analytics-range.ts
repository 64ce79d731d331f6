import { badRequest } from "../../lib/errors";

/** Longest report range, in days (inclusive). */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
/**
 * Earliest and latest report dates. PostgreSQL has no year 0 (JS's `0000-01-01` is 1 BC) and
 * a range's exclusive end (`to` + 1 day) must keep a 4-digit year, so dates outside these
 * bounds are a 400, never a database error.
 */
export const EARLIEST_REPORT_DAY = "1970-01-01";
export const LATEST_REPORT_DAY = "9999-12-30";

export interface AnalyticsRange {
  /** Inclusive UTC dates `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** Days in the range, inclusive (1…366). */
  days: number;
}

function parseDay(field: string, value: unknown): number {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw badRequest(field, "must be a date YYYY-MM-DD (UTC)");
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw badRequest(field, `${value} is not a calendar date`);
  if (value < EARLIEST_REPORT_DAY || value > LATEST_REPORT_DAY) throw badRequest(field, `must be a date from ${EARLIEST_REPORT_DAY} to ${LATEST_REPORT_DAY}`);
  return ms;
}

/**
 * Validates a report range of UTC dates, both ends inclusive.
 * @throws AppError BAD_REQUEST naming `from` or `to`: not a date (or outside
 *   `EARLIEST_REPORT_DAY`…`LATEST_REPORT_DAY`), `to` before `from`, or more
 *   than `MAX_RANGE_DAYS` days (366).
 */
export function parseAnalyticsRange(input: { from: unknown; to: unknown }): AnalyticsRange {
  const from = parseDay("from", input.from);
  const to = parseDay("to", input.to);
  if (to < from) throw badRequest("to", "must not be before from");
  const days = Math.round((to - from) / DAY_MS) + 1;
  if (days > MAX_RANGE_DAYS) throw badRequest("to", `the range is ${days} days; at most ${MAX_RANGE_DAYS} days are allowed`);
  return { from: input.from as string, to: input.to as string, days };
}

/** Every UTC date from `from` to `to`, inclusive. */
export function listRangeDays(range: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${range.from}T00:00:00Z`), end = Date.parse(`${range.to}T00:00:00Z`); ms <= end; ms += DAY_MS) out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
}

/** The default report range: the 28 UTC days ending today. */
export function defaultAnalyticsRange(now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - 27 * DAY_MS).toISOString().slice(0, 10), to };
}
