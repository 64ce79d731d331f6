import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { userProcessingChoices } from "../../db/schema/accounts";
import { requireUser } from "./require-user";

export interface ProcessingChoiceView {
  /** In force now (false / false when the user never chose). */
  restrict: boolean;
  object: boolean;
  /** When the choice in force was made (UTC), null when never. */
  recordedAt: Date | null;
  /** Every choice, newest first (append-only record). */
  history: { restrict: boolean; object: boolean; recordedAt: Date }[];
}

/** The signed-in user's restriction / objection (P18). @throws AppError UNAUTHORIZED, FORBIDDEN (API key). */
export async function getProcessingChoice({ ctx }: { ctx: Ctx; input?: undefined }): Promise<ProcessingChoiceView> {
  const { userId } = requireUser(ctx);
  const rows = await ctx.db
    .select({ restrict: userProcessingChoices.restrict, object: userProcessingChoices.object, recordedAt: userProcessingChoices.recordedAt })
    .from(userProcessingChoices)
    .where(eq(userProcessingChoices.userId, userId))
    .orderBy(desc(userProcessingChoices.recordedAt), desc(userProcessingChoices.id));
  const current = rows[0];
  return { restrict: current?.restrict ?? false, object: current?.object ?? false, recordedAt: current?.recordedAt ?? null, history: rows };
}
