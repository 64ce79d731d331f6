import { createHash } from "node:crypto";
import type { ConversionPlatform } from "../../db/schema/conversion-delivery";
import { badRequest } from "../../lib/errors";

export type IdentifierKind = "email" | "phone" | "external_id" | "first_name" | "last_name";

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);
/** Google's given-name prefixes (Data Manager formatting guide: "don't include prefixes such as Mrs."). */
const GOOGLE_NAME_PREFIX = /^(?:mr|mrs|ms|dr)\.(?:\s|$)/;
/** Google's family-name suffixes (", Jr.", " Sr.", " III", " PhD" …), removed repeatedly from the end. */
const GOOGLE_NAME_SUFFIX = /(?:,\s*|\s+)(?:jr\.?|sr\.?|2nd|3rd|ii|iii|iv|v|vi|cpa|dc|dds|vm|jd|md|phd)\s?$/;

function splitEmail(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1 || email.indexOf("@") !== at) throw badRequest("email", "not an e-mail address");
  return { local: email.slice(0, at), domain: email.slice(at + 1) };
}

/**
 * E-mail before hashing, per platform:
 * - Meta: trimmed, lower-cased; nothing else (dots and `+tags` stay).
 * - Google: all whitespace removed (leading, trailing and inside), lower-cased; for
 *   gmail.com / googlemail.com the dots and a `+suffix` of the local part go; other domains
 *   keep both.
 * - Reddit: lower-cased; the local part loses everything from the first `+`, then every
 *   character that is not `a-z` / `0-9` — for every domain, not only Gmail.
 */
function normalizeEmail(platform: ConversionPlatform, value: string): string {
  const email = (platform === "google" ? value.replace(/\s+/g, "") : value).toLowerCase();
  if (/\s/.test(email)) throw badRequest("email", "not an e-mail address (contains whitespace)");
  let { local, domain } = splitEmail(email);
  if (platform === "google" && GMAIL_DOMAINS.has(domain)) local = local.split("+")[0]!.replace(/\./g, "");
  if (platform === "reddit") local = local.split("+")[0]!.replace(/[^a-z0-9]/g, "");
  if (local === "") throw badRequest("email", "nothing is left of the part before @ after normalization");
  return `${local}@${domain}`;
}

/**
 * Phone before hashing. Every platform needs the country code; none can be inferred here.
 * - Meta: digits only (symbols, letters and spaces removed), no leading zeros — so
 *   `+1 (234) 567-8901` and `001 234 567 8901` both become `12345678901`.
 * - Google and Reddit: E.164, `+` then the digits. Like Google's own formatter
 *   (`googleads/data-manager-node` `formatPhoneNumber`), a number without `+` is taken to
 *   start with its country code (`18005550100` → `+18005550100`); an international `00`
 *   prefix is dropped.
 * @throws AppError BAD_REQUEST outside 8–15 digits (E.164 allows at most 15).
 */
function normalizePhone(platform: ConversionPlatform, value: string): string {
  const digits = value.replace(/\D/g, "").replace(/^0+/, "");
  if (digits.length < 8 || digits.length > 15) throw badRequest("phone", "needs 8–15 digits including the country code");
  return platform === "meta" ? digits : `+${digits}`;
}

/**
 * First and last names before hashing.
 * - Meta: lower-case, no punctuation, no spaces, UTF-8 letters kept (`  John Smith ` →
 *   `johnsmith`, as Meta's capi-param-builder does).
 * - Google: lower-case, trimmed, inner spaces kept; a given name loses a `Mr.` / `Mrs.` /
 *   `Ms.` / `Dr.` prefix, a family name its `Jr.` / `Sr.` / `III` / `PhD`… suffixes.
 * - Reddit: no published rule found; trimmed and lower-cased (labelled derived).
 */
function normalizeName(platform: ConversionPlatform, kind: "first_name" | "last_name", value: string): string {
  const lower = value.toLowerCase();
  let name: string;
  if (platform === "meta") name = lower.replace(/[\s\p{P}\p{S}]/gu, "");
  else if (platform === "google") {
    name = lower.replace(/\s+/g, " ").trim();
    if (kind === "first_name") name = name.replace(GOOGLE_NAME_PREFIX, "").trim();
    else while (GOOGLE_NAME_SUFFIX.test(name)) name = name.replace(GOOGLE_NAME_SUFFIX, "");
  } else name = lower;
  if (name === "") throw badRequest(kind, "nothing is left after normalization (only a title, suffix or punctuation)");
  return name;
}

/**
 * The platform's normalized form of an identifier, before hashing. All: Unicode NFC first
 * (so a composed and a decomposed "é" hash alike), then trim, then the platform's rule:
 * - Meta (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters,
 *   and Meta's own normalizer https://github.com/facebook/capi-param-builder):
 *   e-mail / names / phone as above; external_id lower-cased with all whitespace removed.
 * - Google (https://developers.google.com/data-manager/api/devguides/concepts/formatting,
 *   and Google's formatter https://github.com/googleads/data-manager-node `util/src/formatter.ts`).
 * - Reddit (https://papaya-kheer-4b8a70.netlify.app/signals/conversions/reddit-pixel/manual-advanced-matching —
 *   a copy of Reddit's "Manual Advanced Matching" page, the only one our docs corpus holds):
 *   the e-mail rule above; phone, names and external_id have no published rule there, so
 *   phone is E.164 and external_id is sent as given (trimmed).
 * @throws AppError BAD_REQUEST naming the kind: empty, not an e-mail, a phone outside 8–15 digits.
 */
function normalize(platform: ConversionPlatform, kind: IdentifierKind, raw: string): string {
  const value = raw.normalize("NFC").trim();
  if (value === "") throw badRequest(kind, "empty value");
  switch (kind) {
    case "email":
      return normalizeEmail(platform, value);
    case "phone":
      return normalizePhone(platform, value);
    case "first_name":
    case "last_name":
      return normalizeName(platform, kind, value);
    case "external_id":
      if (platform === "meta") return value.toLowerCase().replace(/\s+/g, "");
      return platform === "reddit" ? value : value.toLowerCase();
  }
}

/**
 * SHA-256 (lower-case hex) of the platform's normalized form (P12). A value that already is
 * 64 hex characters is taken as a hash made upstream and passed through (lower-cased), never
 * hashed twice — the rule Meta's and Google's own normalizers follow. Risk: such a value is
 * trusted blindly — if it was hashed without the platform's normalization it simply will
 * not match, and a 64-hex raw identifier (unlikely for e-mails and phones, possible for an
 * external id) would be sent unhashed. We never receive raw identifiers in that shape from
 * our own code.
 */
export function hashIdentifier(platform: ConversionPlatform, kind: IdentifierKind, raw: string): string {
  const trimmed = raw.trim();
  if (SHA256_HEX.test(trimmed)) return trimmed.toLowerCase();
  return createHash("sha256").update(normalize(platform, kind, raw), "utf8").digest("hex");
}
