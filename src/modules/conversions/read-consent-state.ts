import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { ConsentConfig, ConsentMode } from "../../config";

/** The fan's recorded choice: `g.<policyVersion>` (accepted) or `d.<policyVersion>` (declined / withdrawn). HttpOnly. */
export const CONSENT_COOKIE = "bb_consent";
/** The visitor's first-party consent id: random, set only when a choice is recorded, never derived from the IP. HttpOnly. */
export const CONSENT_SUBJECT_COOKIE = "bb_cid";
/** Both consent cookies live 180 days; the choice is asked again after that. */
export const CONSENT_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;

const CHOICE = /^([gd])\.([A-Za-z0-9._-]{1,32})$/;
/** 16 random bytes, base64url. */
export const CONSENT_SUBJECT_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface ConsentState {
  mode: ConsentMode;
  policyVersion: string;
  /** The fan's choice that applies now, or null when none applies (no cookie, or a grant of an older policy in `opt-in`). */
  choice: "granted" | "denied" | null;
  /** The `bb_cid` value, when the browser has one. */
  subject: string | null;
  /** Click-id cookies, click ids on events and pixels are allowed for this request. */
  adsAllowed: boolean;
  /** Show the banner (Accept / Decline): a consent mode is on and no choice applies. */
  askForChoice: boolean;
}

/**
 * Decides, from the request's cookies and the operator's mode, what this request may do:
 * - `off`: always allowed, no banner;
 * - `opt-out`: allowed unless the fan declined or withdrew (any policy version); the banner
 *   informs and offers Decline until a choice is made;
 * - `opt-in`: allowed only after an Accept of the current policy version; a decline of any
 *   version holds until the fan changes it.
 * Cheap (no database): used on the landing hot path. The server-side delivery decides
 * from the stored consent records instead (`hasAdConsent`).
 */
export function readConsentState(c: Context, consent: ConsentConfig): ConsentState {
  // No Cookie header (most first visits): nothing to parse.
  const all = c.req.header("cookie") ? getCookie(c) : {};
  const raw = all[CONSENT_COOKIE];
  const match = raw ? CHOICE.exec(raw) : null;
  let choice: ConsentState["choice"] = null;
  if (match?.[1] === "d") choice = "denied";
  else if (match?.[1] === "g" && (consent.mode !== "opt-in" || match[2] === consent.policyVersion)) choice = "granted";
  const subjectRaw = all[CONSENT_SUBJECT_COOKIE];
  const subject = subjectRaw && CONSENT_SUBJECT_PATTERN.test(subjectRaw) ? subjectRaw : null;
  const adsAllowed = consent.mode === "off" || (consent.mode === "opt-out" ? choice !== "denied" : choice === "granted");
  return { mode: consent.mode, policyVersion: consent.policyVersion, choice, subject, adsAllowed, askForChoice: consent.mode !== "off" && choice === null };
}
