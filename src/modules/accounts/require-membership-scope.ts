import type { Ctx } from "../../context";
import type { ApiScope, Role } from "./compare-roles";
import { requireArtistRole } from "./require-artist-role";
import { requireOrganizationRole } from "./require-organization-role";

/** Where a membership or invitation lives: an organization, or one artist (direct grant). */
export type MembershipScope = { organizationId: string } | { artistId: string };

export interface ResolvedScope {
  organizationId: string | null;
  artistId: string | null;
  /** The organization's or artist's name, for e-mails and audit summaries. */
  name: string;
  /** Organization of an artist scope (its admins count as the artist's admins). */
  artistOrganizationId: string | null;
  role: Role;
}

/**
 * `requireOrganizationRole` or `requireArtistRole` for a membership scope.
 * @throws AppError NOT_FOUND / FORBIDDEN as those do.
 */
export async function requireMembershipScope({ ctx, input }: { ctx: Ctx; input: { scope: MembershipScope; minRole: Role; keyScope: ApiScope | null } }): Promise<ResolvedScope> {
  const { scope, minRole, keyScope } = input;
  if ("organizationId" in scope) {
    const { organization, role } = await requireOrganizationRole({ ctx, input: { organizationId: scope.organizationId, minRole, keyScope } });
    return { organizationId: organization.id, artistId: null, name: organization.name, artistOrganizationId: null, role };
  }
  const { artist, role } = await requireArtistRole({ ctx, input: { artistId: scope.artistId, minRole, keyScope } });
  return { organizationId: null, artistId: artist.id, name: artist.name, artistOrganizationId: artist.organizationId, role };
}
