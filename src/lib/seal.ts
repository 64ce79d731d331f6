import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "./errors";

/**
 * Sealing of secrets at rest (PROMISES P01): AES-256-GCM with a random 96-bit nonce and
 * a 128-bit tag, in a self-describing envelope
 *
 *   `v1.<keyId>.<nonce b64url>.<ciphertext b64url>.<tag b64url>`
 *
 * The associated data binds a ciphertext to its place (`table.column:rowId`), so a value
 * copied to another row or column fails to open. New writes use the ring's active key;
 * any key still on the ring opens older envelopes (see `needsReseal`).
 */
export interface KeyRing {
  activeKeyId: string;
  /** keyId → 32-byte key. */
  keys: ReadonlyMap<string, Buffer>;
}

export interface SealPlace {
  table: string;
  column: string;
  rowId: string;
}

const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function aad(place: SealPlace): Buffer {
  return Buffer.from(`${place.table}.${place.column}:${place.rowId}`, "utf8");
}

export function seal(ring: KeyRing, place: SealPlace, plaintext: string): string {
  const key = ring.keys.get(ring.activeKeyId);
  if (!key) throw new AppError("INTERNAL", "key ring has no active key");
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(place));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, ring.activeKeyId, nonce.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".");
}

/**
 * Opens an envelope sealed for exactly this place.
 * @throws AppError INTERNAL when the envelope is malformed, names an unknown key, has a
 *   short tag, or fails authentication (tampered, or moved from another row/column).
 */
export function open(ring: KeyRing, place: SealPlace, envelope: string): string {
  const parts = envelope.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new AppError("INTERNAL", "sealed value: unknown envelope format");
  const [, keyId, nonceText, bodyText, tagText] = parts as [string, string, string, string, string];
  const key = ring.keys.get(keyId);
  if (!key) throw new AppError("INTERNAL", `sealed value: key ${keyId} is not on the key ring`);
  const nonce = Buffer.from(nonceText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (nonce.length !== NONCE_BYTES) throw new AppError("INTERNAL", "sealed value: bad nonce length");
  // GCM accepts truncated tags unless told otherwise; we insist on the full 128 bits.
  if (tag.length !== TAG_BYTES) throw new AppError("INTERNAL", "sealed value: tag shorter than 128 bits");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(place));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(bodyText, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new AppError("INTERNAL", "sealed value: authentication failed", { cause });
  }
}

/** True when the envelope was sealed with a key other than the active one. */
export function needsReseal(ring: KeyRing, envelope: string): boolean {
  return envelope.split(".")[1] !== ring.activeKeyId;
}
