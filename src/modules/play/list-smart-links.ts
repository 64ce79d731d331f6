import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists, smartLinks } from "../../db/schema/play";
import { notFound } from "../../lib/errors";

export interface SmartLinkSummary {
  id: string;
  artistSlug: string;
  slug: string;
  title: string;
  releaseType: string;
  releaseDate: string | null;
  published: boolean;
  /** Absolute public URL of the landing page. */
  url: string;
  createdAt: Date;
}

/**
 * Smart links, newest first, optionally for one artist slug.
 * @throws AppError NOT_FOUND when `artistSlug` names no artist.
 */
export async function listSmartLinks({ ctx, input }: { ctx: Ctx; input: { artistSlug?: string } }): Promise<SmartLinkSummary[]> {
  if (input.artistSlug && !(await ctx.db.query.artists.findFirst({ where: eq(artists.slug, input.artistSlug) }))) {
    throw notFound(`artist "${input.artistSlug}"`);
  }
  const rows = await ctx.db
    .select({ link: smartLinks, artistSlug: artists.slug })
    .from(smartLinks)
    .innerJoin(artists, eq(smartLinks.artistId, artists.id))
    .where(input.artistSlug ? eq(artists.slug, input.artistSlug) : undefined)
    .orderBy(desc(smartLinks.id));
  return rows.map(({ link, artistSlug }) => ({
    id: link.id,
    artistSlug,
    slug: link.slug,
    title: link.title,
    releaseType: link.releaseType,
    releaseDate: link.releaseDate,
    published: link.published,
    url: `${ctx.config.publicUrl}/${artistSlug}/${link.slug}`,
    createdAt: link.createdAt,
  }));
}
