import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * HMAC-SHA256 signing of short values (cookies, OAuth state). The signature is
 * base64url; comparison is constant-time. `purpose` separates keys per use so a
 * signature made for one purpose never verifies for another.
 */
export function signValue(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}\n${value}`).digest("base64url");
}

export function verifySignature(secret: string, purpose: string, value: string, signature: string): boolean {
  const expected = Buffer.from(signValue(secret, purpose, value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
