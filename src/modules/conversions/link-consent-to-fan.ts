import { and, desc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { consentRecords } from "../../db/schema/conversions";
import { newId } from "../../lib/ids";
import { CONSENT_SUBJECT_PATTERN } from "./read-consent-state";

/**
 * Links a browser's consent choice to the fan who just authorized in it: appends a copy of
 * the subject's latest `ads` record (same choice, policy version and mode) with
 * `play_user_id` set, so `hasAdConsent({ playUserId })` finds it and erasing the fan
 * removes it. Idempotent: nothing is written when the latest record already names the fan
 * or the subject has no record.
 * @returns whether a row was appended.
 */
export async function linkConsentToFan({ ctx, input }: { ctx: Ctx; input: { subject: string; playUserId: string } }): Promise<boolean> {
  if (!CONSENT_SUBJECT_PATTERN.test(input.subject)) return false;
  const [latest] = await ctx.db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.subject, input.subject), eq(consentRecords.scope, "ads")))
    .orderBy(desc(consentRecords.recordedAt), desc(consentRecords.id))
    .limit(1);
  if (!latest || latest.playUserId === input.playUserId) return false;
  const now = ctx.clock.now();
  // The copy keeps the original decision time's meaning: it is recorded now, but says
  // what the fan chose then (policy version and mode of that choice).
  await ctx.db.insert(consentRecords).values({ ...latest, id: newId("consentRecord", now), playUserId: input.playUserId, recordedAt: now });
  return true;
}
