import { AppError } from "../lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF guard for cookie-authenticated writes: the request must come from our own origin
 * (`Origin` equal to PUBLIC_URL's origin, or `Sec-Fetch-Site: same-origin` from browsers
 * that send it). A missing Origin on a write is refused too. GET never changes state, so
 * it is not checked. API-key requests never reach this (no ambient credential).
 * @throws AppError FORBIDDEN.
 */
export function checkCsrf(input: { method: string; headers: Headers; publicUrl: string }): void {
  if (SAFE.has(input.method.toUpperCase())) return;
  const origin = input.headers.get("origin");
  if (origin && origin === new URL(input.publicUrl).origin) return;
  if (!origin && input.headers.get("sec-fetch-site") === "same-origin") return;
  throw new AppError("FORBIDDEN", "cross-site request refused: cookie-authenticated writes must come from this site (Origin check)");
}
