import { randomBytes } from "node:crypto";

/**
 * An opaque random credential. Spotify's access tokens start with `BQ`, refresh tokens and
 * authorization codes with `AQ`; callers pass that prefix so values look familiar in tests.
 */
export function generateToken(prefix: string, bytes = 48): string {
  return prefix + randomBytes(bytes).toString("base64url");
}
