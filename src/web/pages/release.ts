/**
 * Pieces shared by the pages that show one release: paths, artist line, artwork tag and
 * the schema.org description (`MusicAlbum` or `MusicRecording`).
 */
import { baseUrl, escapeHtml, pathSegment, safeHttpUrl } from "./escape";
import { joinNames } from "./format";
import type { ArtistRow, SmartLinkRow } from "./types";

const SPOTIFY_ID = /^[A-Za-z0-9]{1,64}$/;

/** `/{artistSlug}` */
export function hubPath(artist: Pick<ArtistRow, "slug">): string {
  return `/${pathSegment(artist.slug)}`;
}

/** `/{artistSlug}/{linkSlug}` */
export function linkPath(artist: Pick<ArtistRow, "slug">, link: Pick<SmartLinkRow, "slug">): string {
  return `/${pathSegment(artist.slug)}/${pathSegment(link.slug)}`;
}

/** Names shown under the title: the release's artists, else the owning artist. */
export function releaseArtistNames(link: SmartLinkRow, artist: ArtistRow): string {
  const names = link.releaseArtists.map((a) => a.name).filter((n) => n.trim() !== "");
  return names.length > 0 ? joinNames(names) : artist.name;
}

/** `<img>` for the artwork, or `""` when there is no usable http(s) URL. */
export function artworkImg(
  url: string | null | undefined,
  alt: string,
  opts: { className?: string; size: number; eager: boolean },
): string {
  const src = safeHttpUrl(url);
  if (!src) return "";
  const loading = opts.eager ? `loading="eager" fetchpriority="high"` : `loading="lazy"`;
  const cls = opts.className ? `class="${opts.className}" ` : "";
  return `<img ${cls}src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" width="${opts.size}" height="${opts.size}" ${loading} decoding="async">`;
}

/** schema.org date for a release date at its precision: `2026`, `2026-12`, `2026-12-05`. */
export function schemaDate(date: string | null, precision: string | null): string | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  if (precision === "year") return date.slice(0, 4);
  if (precision === "month") return date.slice(0, 7);
  return date;
}

const ALBUM_RELEASE_TYPE: Record<string, string> = {
  album: "https://schema.org/AlbumRelease",
  single: "https://schema.org/SingleRelease",
  compilation: "https://schema.org/AlbumRelease",
};

/**
 * schema.org object for the release: a one-track single is a `MusicRecording`, anything
 * else a `MusicAlbum`. `byArtist` lists the release artists; the owning artist links to
 * its hub.
 */
export function releaseJsonLd(link: SmartLinkRow, artist: ArtistRow, publicUrl: string): Record<string, unknown> {
  const base = baseUrl(publicUrl);
  const url = base + linkPath(artist, link);
  const hubUrl = base + hubPath(artist);
  const releaseArtists = link.releaseArtists.length > 0 ? link.releaseArtists : [{ spotifyId: "", name: artist.name }];
  const byArtist = releaseArtists.map((a) => {
    const own = a.spotifyId === artist.spotifyArtistId || releaseArtists.length === 1 || a.name === artist.name;
    return own
      ? { "@type": "MusicGroup", name: a.name, url: hubUrl }
      : SPOTIFY_ID.test(a.spotifyId)
        ? { "@type": "MusicGroup", name: a.name, sameAs: `https://open.spotify.com/artist/${a.spotifyId}` }
        : { "@type": "MusicGroup", name: a.name };
  });
  const isRecording = link.releaseType === "single" && link.trackIds.length === 1;
  const data: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": isRecording ? "MusicRecording" : "MusicAlbum",
    name: link.title,
    url,
    byArtist: byArtist.length === 1 ? byArtist[0] : byArtist,
  };
  const date = schemaDate(link.releaseDate, link.releaseDatePrecision);
  if (date) data.datePublished = date;
  const image = safeHttpUrl(link.artworkUrl);
  if (image) data.image = image;
  if (isRecording) {
    if (link.isrc) data.isrcCode = link.isrc;
  } else {
    data.albumReleaseType = ALBUM_RELEASE_TYPE[link.releaseType] ?? ALBUM_RELEASE_TYPE.album;
    if (link.releaseType === "compilation") data.albumProductionType = "https://schema.org/CompilationAlbum";
    if (link.trackIds.length > 0) data.numTracks = link.trackIds.length;
  }
  if (SPOTIFY_ID.test(link.spotifyAlbumId)) data.sameAs = `https://open.spotify.com/album/${link.spotifyAlbumId}`;
  if (link.description) data.description = link.description;
  return data;
}
