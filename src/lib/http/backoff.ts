/**
 * Retry timing for vendor HTTP calls: capped exponential backoff with full jitter
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/) and the
 * `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date).
 */

/**
 * Delay before retry number `attempt + 1`, in milliseconds.
 * `random()` ∈ [0, 1) spreads retries of many callers over [0, min(maxMs, baseMs · 2^attempt)).
 */
export function computeBackoffMs(input: { attempt: number; baseMs: number; maxMs: number; random: () => number }): number {
  const ceiling = Math.min(input.maxMs, input.baseMs * 2 ** Math.max(0, input.attempt));
  const r = Math.min(Math.max(input.random(), 0), 1);
  return Math.round(r * ceiling);
}

/**
 * Parses a `Retry-After` header value into milliseconds from `nowMs`.
 * @returns undefined when absent or unparseable; never negative.
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
