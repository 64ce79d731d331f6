import { z } from "zod";
import type { Ctx } from "../../context";
import { AppError, badRequest } from "../../lib/errors";
import { parseInput } from "../../lib/parse-input";
import { erasePlatformUser } from "./privacy";
import { requireUser } from "./require-user";

const confirmation = z.object({ confirmEmail: z.string({ error: "type your account's e-mail address to confirm" }).trim().min(1, "type your account's e-mail address to confirm") });

/**
 * Deletes the signed-in user's account (P18 erasure), after they typed their own e-mail
 * address (`confirmEmail`, compared case-insensitively) — a deliberate step a stray click
 * or a forged request cannot take. Everything runs in `erasePlatformUser`'s transaction:
 * - refused (409, nothing changes) while they are the only admin of an organization with
 *   other members, or the only direct admin of an artist without organization that others
 *   use: they must make someone else admin first;
 * - organizations where they are the only member are deleted (keys, invitations, audit
 *   entries); their artists stay, without organization, for the operator;
 * - memberships, grants, sessions, sign-in methods, processing choices and stored
 *   idempotent answers go; audit entries stay, pseudonymized.
 * Every session ends with the user row, so the cookie of this request stops working.
 * @returns `{ deleted: true, deletedOrganizationIds }`.
 * @throws AppError UNAUTHORIZED, FORBIDDEN (API key), BAD_REQUEST `confirmEmail`, CONFLICT (last admin).
 */
export async function deleteMyAccount({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ deleted: true; deletedOrganizationIds: string[] }> {
  const { userId } = requireUser(ctx);
  const { confirmEmail } = parseInput(confirmation, input);
  const user = await ctx.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, userId) });
  if (!user) throw new AppError("UNAUTHORIZED", "sign in first");
  if (confirmEmail.toLowerCase() !== user.email.toLowerCase()) throw badRequest("confirmEmail", "does not match your account's e-mail address");
  const result = await erasePlatformUser({ ctx, input: { userId } });
  if (!result.erased) throw new AppError("UNAUTHORIZED", "sign in first");
  return { deleted: true, deletedOrganizationIds: result.deletedOrganizationIds };
}
