import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { createSmartLink, parseSpotifyReference } from "../play/index";
import { recordAudit } from "./record-audit";
import { requireArtistRole } from "./require-artist-role";
import { toSmartLinkView, type SmartLinkView } from "./smart-link-view";

/**
 * A smart link under a visible artist from a Spotify track or album URL (editors and
 * admins, or a key with `smart_links.write`). The same release again answers the existing
 * link with `status: "existing"` (nothing written, nothing audited).
 * @throws AppError BAD_REQUEST (`spotifyUrl`), NOT_FOUND, FORBIDDEN, ProviderError.
 */
export async function createArtistSmartLink({ ctx, input }: { ctx: Ctx; input: { artistId: string; spotifyUrl: unknown } }): Promise<{ link: SmartLinkView; status: "created" | "existing" }> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "editor", keyScope: "smart_links.write" } });
  const { spotifyUrl } = parseInput(z.object({ spotifyUrl: z.string().trim().min(1, "must not be empty").max(2048) }), { spotifyUrl: input.spotifyUrl });
  if (parseSpotifyReference(spotifyUrl).type === "artist") throw badRequest("spotifyUrl", "must be a Spotify track or album URL (artists are added with POST /api/v1/artists)");
  return inTransaction(ctx, async (tx) => {
    const result = await createSmartLink({ ctx: tx, input: { spotifyUrl, artistSlug: artist.slug } });
    if (result.kind !== "smart_link") throw badRequest("spotifyUrl", "must be a Spotify track or album URL");
    if (result.status === "created") {
      await recordAudit({ ctx: tx, input: { organizationId: artist.organizationId, artistId: artist.id, action: "smart_link.create", resourceType: "smart_link", resourceId: result.link.id, summary: `created smart link ${result.link.title}`, metadata: { spotifyAlbumId: result.link.spotifyAlbumId } } });
    }
    return { link: toSmartLinkView(result.link, artist.slug, ctx.config.publicUrl), status: result.status };
  });
}
