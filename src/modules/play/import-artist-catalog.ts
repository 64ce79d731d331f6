import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists } from "../../db/schema/play";
import { notFound } from "../../lib/errors";
import { insertReleaseLink } from "./create-smart-link";

/**
 * Job `play.import-catalog`: one smart link per album and single of the artist.
 * Idempotent (links are unique per artist + release), so a retried job skips finished work.
 * @returns counts of links created and already present.
 */
export async function importArtistCatalog({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<{ created: number; existing: number }> {
  const artist = await ctx.db.query.artists.findFirst({ where: eq(artists.id, input.artistId) });
  if (!artist) throw notFound(`artist ${input.artistId}`);
  if (!artist.spotifyArtistId) return { created: 0, existing: 0 };
  const releases = await ctx.music.catalog.listArtistReleases(artist.spotifyArtistId);
  let created = 0;
  let existing = 0;
  for (const release of releases) {
    const album = await ctx.music.catalog.getAlbum(release.id);
    const result = await insertReleaseLink(ctx, artist, album);
    if (result.status === "created") created += 1;
    else existing += 1;
  }
  await ctx.db.update(artists).set({ catalogImportedAt: ctx.clock.now(), updatedAt: ctx.clock.now() }).where(eq(artists.id, artist.id));
  ctx.logger.info({ artistId: artist.id, created, existing }, "catalog imported");
  return { created, existing };
}
