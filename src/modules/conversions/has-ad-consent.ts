import { and, desc, eq, inArray, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { consentRecords } from "../../db/schema/conversions";

export interface HasAdConsentInput {
  /** The fan (Play user), when the event has one. */
  playUserId?: string | null;
  /** The browser's consent id (`bb_cid`), when known. */
  consentSubject?: string | null;
}

/**
 * Whether ad measurement (Conversions APIs, click ids) may be used for this fan now (P12).
 *
 * The choice that holds is the latest `ads` record (by `recorded_at`, then `id`) among the
 * rows of the fan (`play_user_id`), of every browser ever linked to the fan, and of
 * `consentSubject`. Then, by the operator's current `CONSENT_MODE`:
 * - `off` → true;
 * - `opt-out` → true unless that record is a decline / withdrawal;
 * - `opt-in` → true only when that record is a grant of the current policy version.
 * With neither id: `off` and `opt-out` → true, `opt-in` → false.
 */
export async function hasAdConsent({ ctx, input }: { ctx: Ctx; input: HasAdConsentInput }): Promise<boolean> {
  const { mode, policyVersion } = ctx.config.consent;
  if (mode === "off") return true;
  const who: SQL[] = [];
  if (input.playUserId) {
    who.push(eq(consentRecords.playUserId, input.playUserId));
    // Choices made in a linked browser before or after it was linked (a withdrawal from
    // the footer link carries only the browser's id).
    const linked = ctx.db.selectDistinct({ subject: consentRecords.subject }).from(consentRecords).where(eq(consentRecords.playUserId, input.playUserId));
    who.push(inArray(consentRecords.subject, linked));
  }
  if (input.consentSubject) who.push(eq(consentRecords.subject, input.consentSubject));
  if (who.length === 0) return mode === "opt-out";
  const [latest] = await ctx.db
    .select({ granted: consentRecords.granted, policyVersion: consentRecords.policyVersion })
    .from(consentRecords)
    .where(and(eq(consentRecords.scope, "ads"), or(...who)))
    .orderBy(desc(consentRecords.recordedAt), desc(consentRecords.id))
    .limit(1);
  if (!latest) return mode === "opt-out";
  if (mode === "opt-out") return latest.granted;
  return latest.granted && latest.policyVersion === policyVersion;
}

