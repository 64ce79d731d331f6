/**
 * Salted, weekly-rotating hashes of where an authorization came from, for fan-level fraud
 * flags (one device or one network prefix behind many Spotify accounts). Never the raw IP
 * (P11): the IP is only an HMAC input here, reduced to its prefix first.
 */
import { createHmac } from "node:crypto";
import ipaddr from "ipaddr.js";

export interface HashNetworkInput {
  /** Server secret (config `visitorHashSecret`); a distinct label keeps these hashes unrelated to visitor hashes. */
  secret: string;
  now: Date;
  /** Client IP as seen by the server. */
  ip: string;
  userAgent: string;
}

export interface NetworkHashes {
  /** HMAC of (IP prefix, User-Agent): one browser on one network. */
  deviceHash: string;
  /** HMAC of the IP prefix alone: IPv4 /24, IPv6 /48. */
  networkHash: string;
  /** Rotation period: whole weeks since 1970-01-01 (UTC); hashes of different periods never match. */
  period: number;
}

const WEEK_MS = 7 * 86_400_000;

/** `203.0.113.7` → `203.0.113.0/24`; `2001:db8:1:2::5` → `2001:db8:1::/48`; malformed → `""`. */
function prefixOf(ip: string): string {
  try {
    const addr = ipaddr.process(ip.trim());
    const bytes = addr.toByteArray();
    if (addr.kind() === "ipv4") return `${bytes[0]}.${bytes[1]}.${bytes[2]}.0/24`;
    return `${bytes.slice(0, 6).map((b) => b.toString(16).padStart(2, "0")).join("")}/48`;
  } catch {
    return "";
  }
}

/**
 * `salt = HMAC-SHA256(secret, "network:" + period)`; `networkHash = base64url(HMAC(salt, prefix))[0,22)`,
 * `deviceHash = base64url(HMAC(salt, prefix + "\n" + userAgent))[0,22)`. Returns null when
 * the address cannot be parsed (nothing to compare). Throws `TypeError` for an empty secret.
 */
export function hashNetwork(input: HashNetworkInput): NetworkHashes | null {
  if (!input.secret) throw new TypeError("hashNetwork: secret is required");
  const prefix = prefixOf(input.ip);
  if (!prefix) return null;
  const period = Math.floor(input.now.getTime() / WEEK_MS);
  const salt = createHmac("sha256", input.secret).update(`network:${period}`).digest();
  const mac = (text: string) => createHmac("sha256", salt).update(text).digest("base64url").slice(0, 22);
  return { deviceHash: mac(`${prefix}\n${input.userAgent}`), networkHash: mac(prefix), period };
}
