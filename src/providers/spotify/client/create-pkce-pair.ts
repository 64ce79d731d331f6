import { createHash, randomBytes } from "node:crypto";

export interface PkcePair {
  /** 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1); keep server-side, never in a URL. */
  verifier: string;
  /** BASE64URL(SHA-256(verifier)) without padding (RFC 7636 §4.2, method S256). */
  challenge: string;
}

/** S256 challenge for a verifier. */
export function challengeFor(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/**
 * A fresh PKCE pair for the Authorization Code flow with PKCE.
 * `bytes` of randomness (32 → a 43-character verifier; 96 → 128).
 * https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow
 */
export function createPkcePair(bytes = 64): PkcePair {
  if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96) throw new RangeError("bytes must be an integer in 32..96");
  const verifier = randomBytes(bytes).toString("base64url");
  return { verifier, challenge: challengeFor(verifier) };
}
