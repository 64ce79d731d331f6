import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artists, smartLinks } from "../../db/schema/play";
import { badRequest, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { CatalogAlbum } from "../../providers/spotify/port";
import { ensureArtist, type Artist } from "./ensure-artist";
import { makeSlug, RESERVED_LINK_SLUGS } from "./make-slug";
import { parseSpotifyReference } from "./parse-spotify-reference";

export type SmartLink = typeof smartLinks.$inferSelect;

export type CreateSmartLinkResult =
  | { kind: "smart_link"; status: "created" | "existing"; link: SmartLink; artist: Artist }
  | { kind: "artist_hub"; status: "created" | "existing"; artist: Artist; importJobId: string | null };

/** Spotify gives `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; we store the first day it can mean. */
function fullDate(date: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  if (/^\d{4}-\d{2}$/.test(date)) return `${date}-01`;
  if (/^\d{4}$/.test(date)) return `${date}-01-01`;
  return null;
}

/**
 * Turns a Spotify URL or URI into a smart link (track → its release, album → itself) or,
 * for an artist URL, the artist hub plus a catalog import job.
 *
 * Idempotent: the same release under the same artist returns the existing link with
 * `status: "existing"` (unique on artist + Spotify album id).
 *
 * @param input.spotifyUrl what the artist pasted (see `parseSpotifyReference`).
 * @param input.artistSlug put the link under this artist; default: the release's first artist.
 *   The artist must be credited on the release or on one of its tracks (a feature counts);
 *   another artist's release is refused, so nobody publishes it on the wrong hub.
 * @throws AppError BAD_REQUEST (field `spotifyUrl`: not a Spotify URL, or a release the
 *   artist is not credited on), NOT_FOUND (artistSlug), ProviderError
 *   (`not_found` when Spotify has no such id).
 */
export async function createSmartLink({ ctx, input }: { ctx: Ctx; input: { spotifyUrl: string; artistSlug?: string } }): Promise<CreateSmartLinkResult> {
  const ref = parseSpotifyReference(input.spotifyUrl);

  if (ref.type === "artist") {
    const { artist, status } = await ensureArtist({ ctx, input: { spotifyArtistId: ref.id } });
    const importJobId = await ctx.jobs.send("play.import-catalog", { artistId: artist.id }, { singletonKey: artist.id });
    return { kind: "artist_hub", status, artist, importJobId };
  }

  const albumId = ref.type === "track" ? (await ctx.music.catalog.getTrack(ref.id)).albumId : ref.id;
  const album = await ctx.music.catalog.getAlbum(albumId);

  let artist: Artist;
  if (input.artistSlug) {
    const found = await ctx.db.query.artists.findFirst({ where: eq(artists.slug, input.artistSlug) });
    if (!found) throw notFound(`artist "${input.artistSlug}"`);
    artist = found;
    assertCredited(album, artist);
  } else {
    const primary = album.artists[0];
    if (!primary) throw notFound("release artist");
    artist = (await ensureArtist({ ctx, input: { spotifyArtistId: primary.id } })).artist;
  }
  const { link, status } = await insertReleaseLink(ctx, artist, album);
  return { kind: "smart_link", status, link, artist };
}

/** Refuses a release the artist appears nowhere on (album artists, then track artists). */
function assertCredited(album: CatalogAlbum, artist: Artist): void {
  const credited = [...album.artists, ...album.trackArtists].some((a) => a.id === artist.spotifyArtistId);
  if (credited) return;
  const by = album.artists.map((a) => a.name).join(", ") || "another artist";
  throw badRequest("spotifyUrl", `This release is by ${by}, not ${artist.name}`);
}

/** Inserts the link for a catalog release under an artist, or returns the one that exists. */
export async function insertReleaseLink(ctx: Ctx, artist: Artist, album: CatalogAlbum): Promise<{ link: SmartLink; status: "created" | "existing" }> {
  const existing = await ctx.db.query.smartLinks.findFirst({
    where: and(eq(smartLinks.artistId, artist.id), eq(smartLinks.spotifyAlbumId, album.id)),
  });
  if (existing) return { link: existing, status: "existing" };

  const now = ctx.clock.now();
  const base = makeSlug(album.name, album.id.slice(0, 10).toLowerCase());
  for (let attempt = 1; attempt <= 50; attempt++) {
    const slug = attempt === 1 && !RESERVED_LINK_SLUGS.has(base) ? base : `${base}-${attempt}`;
    const inserted = await ctx.db
      .insert(smartLinks)
      .values({
        id: newId("smartLink", now),
        artistId: artist.id,
        slug,
        spotifyAlbumId: album.id,
        releaseType: album.albumType,
        title: album.name,
        releaseArtists: album.artists.map((a) => ({ spotifyId: a.id, name: a.name })),
        artworkUrl: album.images[0]?.url ?? null,
        releaseDate: fullDate(album.releaseDate),
        releaseDatePrecision: album.releaseDatePrecision,
        upc: album.upc,
        isrc: album.firstTrackIsrc,
        trackIds: album.trackIds,
        services: [{ service: "spotify", url: `https://open.spotify.com/album/${album.id}`, hidden: false }],
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) return { link: inserted[0], status: "created" };
    const raced = await ctx.db.query.smartLinks.findFirst({
      where: and(eq(smartLinks.artistId, artist.id), eq(smartLinks.spotifyAlbumId, album.id)),
    });
    if (raced) return { link: raced, status: "existing" };
  }
  throw new Error(`no free slug for release ${album.name}`);
}
