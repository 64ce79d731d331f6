import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { artists, smartLinks } from "../../db/schema/play";
import type { Artist } from "./ensure-artist";
import type { SmartLink } from "./create-smart-link";

/** The published smart link at `/{artistSlug}/{linkSlug}` with its artist, or null. */
export async function findLanding(db: Db, artistSlug: string, linkSlug: string): Promise<{ link: SmartLink; artist: Artist } | null> {
  const rows = await db
    .select({ link: smartLinks, artist: artists })
    .from(smartLinks)
    .innerJoin(artists, eq(smartLinks.artistId, artists.id))
    .where(and(eq(artists.slug, artistSlug), eq(smartLinks.slug, linkSlug), eq(smartLinks.published, true)))
    .limit(1);
  return rows[0] ?? null;
}
