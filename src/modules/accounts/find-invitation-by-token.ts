import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { invitations } from "../../db/schema/accounts";
import { notFound } from "../../lib/errors";
import { hashToken } from "./hash-token";
import type { InvitationRow } from "./invitation-view";

/** Finds an invitation by its token (hashed lookup). @throws AppError NOT_FOUND. */
export async function findInvitationByToken(ctx: Ctx, token: string): Promise<InvitationRow> {
  if (token.length < 20 || token.length > 100) throw notFound("invitation");
  const row = await ctx.db.query.invitations.findFirst({ where: eq(invitations.tokenHash, hashToken(token)) });
  if (!row) throw notFound("invitation");
  return row;
}

