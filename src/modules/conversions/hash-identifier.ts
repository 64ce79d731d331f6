import { createHash } from "node:crypto";
import type { ConversionPlatform } from "../../db/schema/conversion-delivery";
import { badRequest } from "../../lib/errors";

export type IdentifierKind = "email" | "phone" | "external_id";

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * The platform's normalized form of an identifier, before hashing. All: Unicode NFC first
 * (so a composed and a decomposed "é" hash alike), then:
 * - Meta (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters):
 *   e-mail trimmed + lower-cased; phone digits only (symbols, letters and leading zeros
 *   removed) and must carry the country code; external_id trimmed + lower-cased.
 * - Google (https://developers.google.com/data-manager/api/devguides/concepts/formatting):
 *   e-mail with all whitespace removed, lower-cased; for gmail.com / googlemail.com the
 *   dots and a `+suffix` of the local part are removed; phone in E.164 (`+` and digits).
 * - Reddit (no normalization page found in our docs corpus; we follow its CAPI field notes
 *   as relayed by partner docs): e-mail trimmed + lower-cased; phone E.164; external_id trimmed.
 * @throws AppError BAD_REQUEST when the value is empty, an e-mail without `@`, or a phone
 *   number without a country code (fewer than 8 digits / no leading `+` for Google/Reddit).
 */
function normalize(platform: ConversionPlatform, kind: IdentifierKind, raw: string): string {
  const value = raw.normalize("NFC").trim();
  if (value === "") throw badRequest(kind, "empty value");
  if (kind === "email") {
    const email = (platform === "google" ? value.replace(/\s+/g, "") : value).toLowerCase();
    const at = email.lastIndexOf("@");
    if (at <= 0 || at === email.length - 1) throw badRequest("email", "not an e-mail address");
    let local = email.slice(0, at);
    const domain = email.slice(at + 1);
    if (platform === "google" && GMAIL_DOMAINS.has(domain)) {
      local = local.split("+")[0]!.replace(/\./g, "");
    }
    return `${local}@${domain}`;
  }
  if (kind === "phone") {
    const hasPlus = value.startsWith("+");
    const digits = value.replace(/\D/g, "").replace(/^0+/, "");
    if (digits.length < 8 || digits.length > 15) throw badRequest("phone", "needs 8–15 digits including the country code");
    if (platform === "meta") return digits;
    // E.164 needs the country code: without a `+` we cannot tell a national number from one.
    if (!hasPlus && !value.startsWith("00")) throw badRequest("phone", "E.164 needs a leading + and the country code");
    return `+${digits}`;
  }
  return platform === "reddit" ? value : value.toLowerCase();
}

/**
 * SHA-256 (lower-case hex) of the platform's normalized form (P12). A value that already is
 * 64 hex characters is taken as a hash made upstream and passed through (lower-cased), never
 * hashed twice. Risk: such a value is trusted blindly — if it was hashed without the
 * platform's normalization it simply will not match, and a 64-hex raw identifier (unlikely
 * for e-mails and phones, possible for an external id) would be sent unhashed. We never
 * receive raw identifiers in that shape from our own code.
 */
export function hashIdentifier(platform: ConversionPlatform, kind: IdentifierKind, raw: string): string {
  const trimmed = raw.trim();
  if (SHA256_HEX.test(trimmed)) return trimmed.toLowerCase();
  return createHash("sha256").update(normalize(platform, kind, raw), "utf8").digest("hex");
}
