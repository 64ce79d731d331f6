import { lt } from "drizzle-orm";
import type { Ctx } from "../../context";
import { oauthStates } from "../../db/schema/play";

/** Job `play.purge-oauth-states`: deletes states an hour past expiry (used or not). */
export async function purgeOauthStates({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<{ deleted: number }> {
  const cutoff = new Date(ctx.clock.now().getTime() - 60 * 60 * 1000);
  const deleted = await ctx.db.delete(oauthStates).where(lt(oauthStates.expiresAt, cutoff)).returning({ id: oauthStates.id });
  return { deleted: deleted.length };
}
