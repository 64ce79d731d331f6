import type { Ctx } from "../../context";
import { AppError, notFound } from "../../lib/errors";
import { compareRoles, type ApiScope, type Role } from "./compare-roles";
import { resolveArtistAccess, type ArtistRow } from "./resolve-artist-access";

/**
 * The first line of every artist-scoped verb: the artist, if the actor may do this to it.
 * @param input.minRole role a user needs (viewer = read).
 * @param input.keyScope scope an API key needs; null = API keys may not do this.
 * @throws AppError NOT_FOUND when the artist does not exist or is not visible (never 403
 *   for what the actor cannot see); FORBIDDEN when visible but the role or scope is short.
 */
export async function requireArtistRole({ ctx, input }: { ctx: Ctx; input: { artistId: string; minRole: Role; keyScope: ApiScope | null } }): Promise<{ artist: ArtistRow; role: Role }> {
  const access = await resolveArtistAccess({ ctx, input: { artistId: input.artistId } });
  if (!access) throw notFound(`artist ${input.artistId}`);
  const { actor } = ctx;
  if (actor.kind === "api_key") {
    if (!input.keyScope) throw new AppError("FORBIDDEN", "API keys cannot do this; sign in as an admin");
    if (!actor.scopes.includes(input.keyScope)) throw new AppError("FORBIDDEN", `this API key lacks the ${input.keyScope} scope`);
    return access;
  }
  if (compareRoles(access.role, input.minRole) < 0) {
    throw new AppError("FORBIDDEN", `this needs the ${input.minRole} role on the artist; you are ${access.role}`);
  }
  return access;
}
