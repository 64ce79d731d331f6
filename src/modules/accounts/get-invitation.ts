import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { organizations } from "../../db/schema/accounts";
import { artists } from "../../db/schema/play";
import { findInvitationByToken } from "./find-invitation-by-token";
import { toInvitationView, type InvitationStatus } from "./invitation-view";
import type { Role } from "./compare-roles";
import { requireUser } from "./require-user";

export interface InvitationPreview {
  organizationName: string | null;
  artistName: string | null;
  role: Role;
  email: string;
  status: InvitationStatus;
  expiresAt: Date;
}

/**
 * What an invitation link offers, for the signed-in user holding the token (the token is
 * the proof; acceptance still needs the matching e-mail).
 * @throws AppError UNAUTHORIZED (not signed in), NOT_FOUND (unknown token).
 */
export async function getInvitation({ ctx, input }: { ctx: Ctx; input: { token: string } }): Promise<InvitationPreview> {
  requireUser(ctx);
  const row = await findInvitationByToken(ctx, input.token);
  const org = row.organizationId ? await ctx.db.query.organizations.findFirst({ where: eq(organizations.id, row.organizationId) }) : undefined;
  const artist = row.artistId ? await ctx.db.query.artists.findFirst({ where: eq(artists.id, row.artistId) }) : undefined;
  const view = toInvitationView(row, ctx.clock.now(), null);
  return { organizationName: org?.name ?? null, artistName: artist?.name ?? null, role: view.role, email: view.email, status: view.status, expiresAt: view.expiresAt };
}
