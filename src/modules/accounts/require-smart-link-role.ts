import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { smartLinks } from "../../db/schema/play";
import { AppError, notFound } from "../../lib/errors";
import type { SmartLink } from "../play/index";
import type { ApiScope, Role } from "./compare-roles";
import { requireArtistRole } from "./require-artist-role";
import type { ArtistRow } from "./resolve-artist-access";

/**
 * A smart link if the actor may do this to its artist (see `requireArtistRole`).
 * @throws AppError NOT_FOUND (missing, or its artist not visible), FORBIDDEN.
 */
export async function requireSmartLinkRole({ ctx, input }: { ctx: Ctx; input: { linkId: string; minRole: Role; keyScope: ApiScope | null } }): Promise<{ link: SmartLink; artist: ArtistRow; role: Role }> {
  const missing = notFound(`smart link ${input.linkId}`);
  const link = await ctx.db.query.smartLinks.findFirst({ where: eq(smartLinks.id, input.linkId) });
  if (!link) throw missing;
  try {
    const { artist, role } = await requireArtistRole({ ctx, input: { artistId: link.artistId, minRole: input.minRole, keyScope: input.keyScope } });
    return { link, artist, role };
  } catch (err) {
    // Never reveal that a link of an invisible artist exists.
    if (err instanceof AppError && err.code === "NOT_FOUND") throw missing;
    throw err;
  }
}
