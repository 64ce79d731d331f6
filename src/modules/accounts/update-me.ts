import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { users } from "../../db/schema/auth";
import { parseInput } from "../../lib/parse-input";
import { requireUser } from "./require-user";

/** Renames the signed-in user. @throws AppError UNAUTHORIZED, BAD_REQUEST (`name`). */
export async function updateMe({ ctx, input }: { ctx: Ctx; input: { name: unknown } }): Promise<{ id: string; name: string; email: string; image: string | null }> {
  const { userId } = requireUser(ctx);
  const { name } = parseInput(z.object({ name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters") }), input);
  const [row] = await ctx.db.update(users).set({ name, updatedAt: ctx.clock.now() }).where(eq(users.id, userId)).returning();
  return { id: row!.id, name: row!.name, email: row!.email, image: row!.image };
}
