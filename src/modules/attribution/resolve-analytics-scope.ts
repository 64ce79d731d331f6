import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists, smartLinks } from "../../db/schema/play";
import { notFound } from "../../lib/errors";

/**
 * What a report covers: the whole artist, only the artist hub (events without a smart
 * link), or one smart link. `linkKey` is the rollup `smart_link_id` to filter on (`''` =
 * hub), or null for the whole artist.
 */
export interface AnalyticsScope {
  kind: "artist" | "hub" | "link";
  artistId: string;
  smartLinkId: string | null;
  linkKey: string | null;
}

/**
 * Checks the artist exists and the smart link is the artist's.
 * @throws AppError NOT_FOUND for an unknown artist or a link of another artist.
 */
export async function resolveAnalyticsScope({ ctx, input }: { ctx: Ctx; input: { artistId: string; smartLinkId?: string | undefined; hub?: boolean | undefined } }): Promise<AnalyticsScope> {
  const [artist] = await ctx.db.select({ id: artists.id }).from(artists).where(eq(artists.id, input.artistId));
  if (!artist) throw notFound("artist");
  if (input.smartLinkId) {
    const [link] = await ctx.db.select({ id: smartLinks.id }).from(smartLinks).where(and(eq(smartLinks.id, input.smartLinkId), eq(smartLinks.artistId, input.artistId)));
    if (!link) throw notFound("smart link");
    return { kind: "link", artistId: artist.id, smartLinkId: link.id, linkKey: link.id };
  }
  if (input.hub) return { kind: "hub", artistId: artist.id, smartLinkId: null, linkKey: "" };
  return { kind: "artist", artistId: artist.id, smartLinkId: null, linkKey: null };
}
