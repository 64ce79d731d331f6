import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { userProcessingChoices } from "../../db/schema/accounts";

/** What a Platform user's data could be processed for beyond running their account. */
export type ProcessingPurpose = "analytics" | "ads" | "ai";

/**
 * THE check point for P18 "restrict or object to processing": true when the newest
 * `user_processing_choices` row of the user has `restrict` or `object` set, for every
 * purpose (analytics of the user's own activity, uploads to ad platforms, AI features).
 * Any code that would use a Platform user's own data for one of those purposes calls this
 * first and skips the user when it answers true. Read from the database on every call (no
 * cache): a change holds from the next request.
 *
 * Today nothing in Backbeat processes Platform users for those purposes (analytics and
 * conversions are about fans; no AI module yet); the verb exists so the first such
 * feature has one rule to call. Unknown users answer false (nothing to restrict).
 */
export async function isUserProcessingRestricted({ ctx, input }: { ctx: Ctx; input: { userId: string; purpose: ProcessingPurpose } }): Promise<boolean> {
  const [latest] = await ctx.db
    .select({ restrict: userProcessingChoices.restrict, object: userProcessingChoices.object })
    .from(userProcessingChoices)
    .where(eq(userProcessingChoices.userId, input.userId))
    .orderBy(desc(userProcessingChoices.recordedAt), desc(userProcessingChoices.id))
    .limit(1);
  return latest ? latest.restrict || latest.object : false;
}
