import type { Ctx } from "../../context";
import type { ApiScope, Role } from "./compare-roles";
import { requireArtistRole } from "./require-artist-role";
import { requireSmartLinkRole } from "./require-smart-link-role";
import type { ArtistRow } from "./resolve-artist-access";

/** Whose analytics: an artist (optionally narrowed to one link or the hub), or one smart link. */
export type AnalyticsTarget = { artistId: string } | { linkId: string };

/**
 * The artist (and link) an analytics or valuation request may read or write, checked with
 * `requireArtistRole` / `requireSmartLinkRole`: another tenant's artist or link is NOT_FOUND.
 * @throws AppError NOT_FOUND, FORBIDDEN (role or API-key scope short).
 */
export async function requireAnalyticsScope({ ctx, input }: { ctx: Ctx; input: { target: AnalyticsTarget; minRole: Role; keyScope: ApiScope } }): Promise<{ artist: ArtistRow; linkId: string | null }> {
  if ("linkId" in input.target) {
    const { link, artist } = await requireSmartLinkRole({ ctx, input: { linkId: input.target.linkId, minRole: input.minRole, keyScope: input.keyScope } });
    return { artist, linkId: link.id };
  }
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.target.artistId, minRole: input.minRole, keyScope: input.keyScope } });
  return { artist, linkId: null };
}
