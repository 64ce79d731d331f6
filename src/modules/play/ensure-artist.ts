import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { makeSlug, RESERVED_ARTIST_SLUGS } from "./make-slug";

export type Artist = typeof artists.$inferSelect;

/**
 * The artist for a Spotify artist id: the existing row, or a new one filled from the
 * catalog with a unique slug (in `input.organizationId` when given; an existing artist
 * keeps its organization). Race-safe: concurrent calls end on the same row.
 * @returns `{ artist, status: "created" | "existing" }`
 * @throws ProviderError from the catalog lookup.
 */
export async function ensureArtist({ ctx, input }: { ctx: Ctx; input: { spotifyArtistId: string; organizationId?: string | null } }): Promise<{ artist: Artist; status: "created" | "existing" }> {
  const found = await ctx.db.query.artists.findFirst({ where: eq(artists.spotifyArtistId, input.spotifyArtistId) });
  if (found) return { artist: found, status: "existing" };

  const profile = await ctx.music.catalog.getArtist(input.spotifyArtistId);
  const now = ctx.clock.now();
  const base = makeSlug(profile.name, `artist-${input.spotifyArtistId.slice(0, 8).toLowerCase()}`);
  for (let attempt = 1; attempt <= 50; attempt++) {
    const slug = attempt === 1 && !RESERVED_ARTIST_SLUGS.has(base) ? base : `${base}-${attempt}`;
    const inserted = await ctx.db
      .insert(artists)
      .values({
        id: newId("artist", now),
        slug,
        name: profile.name,
        spotifyArtistId: profile.id,
        organizationId: input.organizationId ?? null,
        imageUrl: profile.images[0]?.url ?? null,
        genres: profile.genres,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) return { artist: inserted[0], status: "created" };
    // Either the slug is taken or another request created this artist meanwhile.
    const raced = await ctx.db.query.artists.findFirst({ where: eq(artists.spotifyArtistId, input.spotifyArtistId) });
    if (raced) return { artist: raced, status: "existing" };
  }
  throw new Error(`no free slug for artist ${profile.name}`);
}
