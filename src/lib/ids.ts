import { monotonicFactory } from "ulid";

/**
 * Prefixed, time-sortable ids (`lnk_01jd…`). The ULID part is lower-cased so ids
 * are safe in URLs and cookie values; lexical order equals creation order.
 */
export const ID_PREFIXES = {
  artist: "art",
  smartLink: "lnk",
  playUser: "fan",
  event: "evt",
  oauthState: "ost",
  presave: "psv",
  request: "req",
  deletionRequest: "del",
  user: "usr",
  authSession: "ses",
  authAccount: "acc",
  authVerification: "ver",
  syncGap: "gap",
  revocation: "rvk",
  syncAlert: "alr",
  engagementFlag: "flg",
  organization: "org",
  invitation: "inv",
  apiKey: "key",
  auditEntry: "aud",
  spend: "spd",
  consentRecord: "cns",
  conversionDestination: "cds",
  conversionOutbox: "cvo",
  conversionAttempt: "cva",
  conversionMapping: "cvm",
  conversionTest: "tst",
  processingChoice: "prc",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const next = monotonicFactory();

/** New id of the given kind, e.g. `newId("smartLink")` → `lnk_01jdz…` (30 chars). */
export function newId(kind: IdKind, at: Date = new Date()): string {
  return `${ID_PREFIXES[kind]}_${next(at.getTime()).toLowerCase()}`;
}
