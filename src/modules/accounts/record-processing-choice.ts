import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { userProcessingChoices } from "../../db/schema/accounts";
import { users } from "../../db/schema/auth";
import { badRequest } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { newId } from "../../lib/ids";
import { parseInput } from "../../lib/parse-input";
import { getProcessingChoice, type ProcessingChoiceView } from "./get-processing-choice";
import { requireUser } from "./require-user";

const choice = z.object({ restrict: z.boolean({ error: "must be true or false" }), object: z.boolean({ error: "must be true or false" }) });

/**
 * Sets the signed-in user's restriction (`restrict`) and objection (`object`) to
 * processing (P18). Append-only: a choice that differs from the one in force adds a row
 * (time from `ctx.clock`, the session that made it); the same choice again adds nothing,
 * so a retried PUT is harmless. Setting both false withdraws the restriction / objection.
 * The user row is locked (`FOR UPDATE`) so two concurrent changes serialize.
 * @returns the choice in force and its history, newest first.
 * @throws AppError UNAUTHORIZED, FORBIDDEN (API key), BAD_REQUEST naming `restrict` / `object`.
 */
export async function recordProcessingChoice({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ProcessingChoiceView & { changed: boolean }> {
  const { userId, sessionId } = requireUser(ctx);
  const wanted = parseInput(choice, input);
  const extra = Object.keys(input as object).find((k) => k !== "restrict" && k !== "object");
  if (extra !== undefined) throw badRequest(extra, "is not a field here (send restrict and object)");
  return inTransaction(ctx, async (tx) => {
    await tx.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    const [latest] = await tx.db
      .select({ restrict: userProcessingChoices.restrict, object: userProcessingChoices.object })
      .from(userProcessingChoices)
      .where(eq(userProcessingChoices.userId, userId))
      .orderBy(desc(userProcessingChoices.recordedAt), desc(userProcessingChoices.id))
      .limit(1);
    const current = latest ?? { restrict: false, object: false };
    const changed = current.restrict !== wanted.restrict || current.object !== wanted.object;
    if (changed) {
      const now = tx.clock.now();
      await tx.db.insert(userProcessingChoices).values({ id: newId("processingChoice", now), userId, restrict: wanted.restrict, object: wanted.object, sessionId, recordedAt: now });
    }
    return { ...(await getProcessingChoice({ ctx: tx })), changed };
  });
}
