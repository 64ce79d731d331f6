import type { z } from "zod";
import { badRequest } from "./errors";

/**
 * Validates a verb's input with its zod schema.
 * @throws AppError BAD_REQUEST naming the first wrong field (dotted path) and why.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(issue.path.join(".") || "input", issue.message);
  }
  return parsed.data;
}
