/**
 * The salted, daily-rotating visitor hash (P11). Engagement analytics count unique
 * visitors per day without ever storing an IP address.
 */
import { createHmac } from "node:crypto";

export interface HashVisitorInput {
  /** Server secret (config `visitorHashSecret`); never leaves the server. */
  secret: string;
  /** UTC day `YYYY-MM-DD`: the salt changes every day, so hashes cannot be joined across days. */
  day: string;
  /** Client IP as seen by the server (IPv4, IPv6 or IPv4-mapped IPv6). */
  ip: string;
  userAgent: string;
}

/** Length of the returned hash: 22 base64url characters ≈ 132 bits. */
export const VISITOR_HASH_LENGTH = 22;

const DAY = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

// One-entry memo of the day's salt: on the hot path every request of the day shares it.
let memo: { secret: string; day: string; salt: Buffer } | null = null;

function dailySalt(secret: string, day: string): Buffer {
  if (memo && memo.secret === secret && memo.day === day) return memo.salt;
  const salt = createHmac("sha256", secret).update(day).digest();
  memo = { secret, day, salt };
  return salt;
}

/** `::ffff:203.0.113.7` → `203.0.113.7`; trims and lower-cases so one client has one form. */
function normalizeIp(ip: string): string {
  const s = ip.trim().toLowerCase();
  return s.startsWith("::ffff:") && s.includes(".") ? s.slice(7) : s;
}

/**
 * Returns `base64url(HMAC-SHA256(salt, ip + "\n" + userAgent))[0, 22)` where
 * `salt = HMAC-SHA256(secret, day)`.
 *
 * The IP is used only as HMAC input and is not retained; the result cannot be reversed to
 * it without the secret and the day, and the same visitor gets an unrelated hash the next
 * day. Throws `TypeError` for an empty secret or a malformed `day`.
 */
export function hashVisitor(input: HashVisitorInput): string {
  if (!input.secret) throw new TypeError("hashVisitor: secret is required");
  if (!DAY.test(input.day)) throw new TypeError("hashVisitor: day must be YYYY-MM-DD");
  const salt = dailySalt(input.secret, input.day);
  return createHmac("sha256", salt)
    .update(`${normalizeIp(input.ip)}\n${input.userAgent}`)
    .digest("base64url")
    .slice(0, VISITOR_HASH_LENGTH);
}
