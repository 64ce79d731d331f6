import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 S256: `BASE64URL(SHA256(verifier)) === challenge`, compared in constant time. */
export function verifyPkce(verifier: string, challenge: string): boolean {
  // RFC 7636 §4.1: 43–128 unreserved characters; anything else can never match.
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const expected = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
