import { eq, inArray, or } from "drizzle-orm";
import type { Ctx } from "../../context";
import { consentRecords } from "../../db/schema/conversions";

/**
 * Erases the fan's consent records (P17): the rows naming the Play user and every row of a
 * browser linked to it. Run inside the erasure's transaction, before the Play user row goes
 * (afterwards the link is lost).
 */
export async function eraseFanConsent({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<{ deleted: number }> {
  const linked = ctx.db.selectDistinct({ subject: consentRecords.subject }).from(consentRecords).where(eq(consentRecords.playUserId, input.playUserId));
  const deleted = await ctx.db.delete(consentRecords).where(or(eq(consentRecords.playUserId, input.playUserId), inArray(consentRecords.subject, linked))).returning({ id: consentRecords.id });
  return { deleted: deleted.length };
}
