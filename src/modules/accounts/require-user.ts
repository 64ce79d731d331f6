import type { Ctx } from "../../context";
import { AppError } from "../../lib/errors";

/**
 * The signed-in user behind `ctx.actor`, for things only a person may do (create an
 * organization, accept an invitation, manage API keys).
 * @throws AppError UNAUTHORIZED for anyone else (API keys included: FORBIDDEN).
 */
export function requireUser(ctx: Ctx): { userId: string; sessionId: string } {
  const { actor } = ctx;
  if (actor.kind === "user") return { userId: actor.userId, sessionId: actor.sessionId };
  if (actor.kind === "api_key") throw new AppError("FORBIDDEN", "API keys cannot do this; sign in");
  throw new AppError("UNAUTHORIZED", "sign in first");
}
