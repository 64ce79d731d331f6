import type { Ctx } from "../../context";
import { consentRecords, type ConsentScope } from "../../db/schema/conversions";
import { badRequest } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { CONSENT_SUBJECT_PATTERN } from "./read-consent-state";

export interface RecordConsentInput {
  /** The `bb_cid` value (16 random bytes, base64url). */
  subject: string;
  /** The Play user this browser is linked to, when known. */
  playUserId?: string | null;
  scope: ConsentScope;
  granted: boolean;
}

export interface ConsentRecord {
  id: string;
  subject: string;
  playUserId: string | null;
  scope: ConsentScope;
  granted: boolean;
  policyVersion: string;
  mode: "opt-in" | "opt-out" | "off";
  recordedAt: Date;
}

/**
 * Appends a consent record (P10, P12): the choice, the policy version and consent mode in
 * force (`ctx.config.consent`) and the time (`ctx.clock`). Never updates an older row: the
 * latest row per subject and scope is the choice that holds.
 * @throws AppError BAD_REQUEST (`subject`) when the subject is not a consent id.
 */
export async function recordConsent({ ctx, input }: { ctx: Ctx; input: RecordConsentInput }): Promise<ConsentRecord> {
  if (!CONSENT_SUBJECT_PATTERN.test(input.subject)) throw badRequest("subject", "must be a consent id (22 base64url characters)");
  const now = ctx.clock.now();
  const row: ConsentRecord = {
    id: newId("consentRecord", now),
    subject: input.subject,
    playUserId: input.playUserId ?? null,
    scope: input.scope,
    granted: input.granted,
    policyVersion: ctx.config.consent.policyVersion,
    mode: ctx.config.consent.mode,
    recordedAt: now,
  };
  await ctx.db.insert(consentRecords).values(row);
  return row;
}
