import { createHash } from "node:crypto";

/**
 * SHA-256 (hex) of a high-entropy secret (invitation token, API key). A fast hash is right
 * here, unlike passwords: the secrets are 32 random bytes, so there is nothing to guess
 * from a leaked hash (2^256 tries) and no dictionary to precompute; a slow KDF would only
 * add latency to every API request. The hash is the lookup key (unique index).
 */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
