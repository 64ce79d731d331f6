import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A key for one use, derived from a root secret (HMAC-SHA256(secret, "backbeat:" + use),
 * base64url). Each signed thing (the Play cookie, OAuth state) gets its own key, so a
 * signature made for one can never be presented as another.
 */
export function deriveKey(secret: string, use: string): string {
  return createHmac("sha256", secret).update(`backbeat:${use}`).digest("base64url");
}

/**
 * HMAC-SHA256 signing of short values (cookies, OAuth state). The signature is
 * base64url; comparison is constant-time. `purpose` separates keys per use so a
 * signature made for one purpose never verifies for another.
 */
export function signValue(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", deriveKey(secret, purpose)).update(value).digest("base64url");
}

export function verifySignature(secret: string, purpose: string, value: string, signature: string): boolean {
  const expected = Buffer.from(signValue(secret, purpose, value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
