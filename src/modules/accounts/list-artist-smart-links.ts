import { z } from "zod";
import type { Ctx } from "../../context";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import { parseInput } from "../../lib/parse-input";
import { searchSmartLinks } from "../play/index";
import { requireArtistRole } from "./require-artist-role";
import { toSmartLinkView, type SmartLinkView } from "./smart-link-view";

const filters = z.object({
  q: z.string().trim().max(100).optional(),
  published: z.boolean().optional(),
  releaseType: z.enum(["album", "single", "compilation"]).optional(),
});

/**
 * A visible artist's smart links, newest first, filtered by title text, publish state
 * and release type. @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST (`cursor`, filters).
 */
export async function listArtistSmartLinks({ ctx, input }: { ctx: Ctx; input: { artistId: string; q?: string | undefined; published?: boolean | undefined; releaseType?: string | undefined; limit: number; cursor?: string | undefined } }): Promise<Page<SmartLinkView>> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  const f = parseInput(filters, { q: input.q || undefined, published: input.published, releaseType: input.releaseType || undefined });
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await searchSmartLinks({ ctx, input: { artistId: artist.id, ...f, ...(after ? { after } : {}), limit: input.limit + 1 } });
  return toPage(rows, input.limit, (r) => r, (r) => toSmartLinkView(r, artist.slug, ctx.config.publicUrl));
}
