import { asc, eq, inArray, or } from "drizzle-orm";
import type { Ctx } from "../../context";
import { consentRecords } from "../../db/schema/conversions";

function ofFan(db: Ctx["db"], playUserId: string) {
  const linked = db.selectDistinct({ subject: consentRecords.subject }).from(consentRecords).where(eq(consentRecords.playUserId, playUserId));
  return or(eq(consentRecords.playUserId, playUserId), inArray(consentRecords.subject, linked));
}

/**
 * The fan's consent records (P18 export): rows naming the Play user and every row of a
 * browser linked to it, oldest first, as `{ scope, granted, policyVersion, mode, recordedAt }`
 * (the browser's random consent id is not repeated back).
 */
export async function exportFanConsent({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }) {
  const rows = await ctx.db.select().from(consentRecords).where(ofFan(ctx.db, input.playUserId)).orderBy(asc(consentRecords.recordedAt), asc(consentRecords.id));
  return rows.map((r) => ({ scope: r.scope, granted: r.granted, policyVersion: r.policyVersion, mode: r.mode, recordedAt: r.recordedAt }));
}
