/**
 * The artist hub (`/{artistSlug}`): the artist and their published smart links.
 */
import { renderDocument } from "./document";
import { baseUrl, escapeHtml, safeHttpUrl, truncate } from "./escape";
import { formatReleaseDate, isFutureRelease, releaseTypeLabel } from "./format";
import { artworkImg, hubPath, linkPath, schemaDate } from "./release";
import { resolveTheme } from "./themes";
import type { ArtistRow, SmartLinkRow } from "./types";

export interface RenderArtistHubPageInput {
  artist: ArtistRow;
  /** The artist's smart links; unpublished ones are skipped. Any order. */
  links: readonly SmartLinkRow[];
  publicUrl: string;
  now: Date;
}

/** Releases listed on the page: keeps the hub under its 30 KB budget for large catalogs. */
export const HUB_RELEASE_LIMIT = 40;
/** Releases listed in the JSON-LD `album` property. */
const JSON_LD_ALBUM_LIMIT = 10;

/** Newest first: by release date (undated last), then by creation time. */
function newestFirst(a: SmartLinkRow, b: SmartLinkRow): number {
  const da = a.releaseDate ?? "";
  const db = b.releaseDate ?? "";
  if (da !== db) return da < db ? 1 : -1;
  return b.createdAt.getTime() - a.createdAt.getTime();
}

/**
 * Renders the artist hub as a complete HTML document: name, image, optional description,
 * and the published smart links, newest first (at most `HUB_RELEASE_LIMIT`), each with
 * artwork, title and type/date. Upcoming releases say "Out <date>".
 */
export function renderArtistHubPage(input: RenderArtistHubPageInput): string {
  const { artist, now } = input;
  const theme = resolveTheme(artist.hubTheme);
  const base = baseUrl(input.publicUrl);
  const canonicalUrl = base + hubPath(artist);
  const links = input.links.filter((l) => l.published).sort(newestFirst);

  let items = "";
  for (const link of links.slice(0, HUB_RELEASE_LIMIT)) {
    const dateText = formatReleaseDate(link.releaseDate, link.releaseDatePrecision);
    const when = isFutureRelease(link.releaseDate, now)
      ? `Out ${dateText ?? "soon"}`
      : (schemaDate(link.releaseDate, link.releaseDatePrecision)?.slice(0, 4) ?? "");
    const art = artworkImg(link.artworkUrl, "", { size: 64, eager: false });
    items +=
      `<li><a class="rel" href="${escapeHtml(linkPath(artist, link))}">${art}<span>` +
      `<span class="rel-t">${escapeHtml(link.title)}</span>` +
      `<span class="rel-m">${releaseTypeLabel(link.releaseType)}${when ? ` · ${when}` : ""}</span></span></a></li>`;
  }

  const image = artworkImg(artist.imageUrl, artist.name, { className: "avatar", size: 160, eager: true });
  let body = `<div class="panel"><div class="center">${image}<h1>${escapeHtml(artist.name)}</h1>`;
  if (artist.genres.length > 0) {
    body += `<p class="meta">${escapeHtml(artist.genres.slice(0, 3).join(" · "))}</p>`;
  }
  body += `</div>`;
  if (artist.hubDescription) body += `<p class="desc">${escapeHtml(truncate(artist.hubDescription, 2000))}</p>`;
  body += items
    ? `<h2 id="releases">Releases</h2><ul class="releases" aria-labelledby="releases">${items}</ul>` +
      (links.length > HUB_RELEASE_LIMIT ? `<p class="hint">The ${HUB_RELEASE_LIMIT} newest of ${links.length} releases.</p>` : "")
    : `<p class="hint">No releases yet.</p>`;
  body += `</div>`;

  const jsonLd: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": "MusicGroup",
    name: artist.name,
    url: canonicalUrl,
  };
  const artistImage = safeHttpUrl(artist.imageUrl);
  if (artistImage) jsonLd.image = artistImage;
  if (artist.genres.length > 0) jsonLd.genre = artist.genres.slice(0, 10);
  if (artist.hubDescription) jsonLd.description = artist.hubDescription;
  if (artist.spotifyArtistId && /^[A-Za-z0-9]{1,64}$/.test(artist.spotifyArtistId)) {
    jsonLd.sameAs = `https://open.spotify.com/artist/${artist.spotifyArtistId}`;
  }
  if (links.length > 0) {
    jsonLd.album = links.slice(0, JSON_LD_ALBUM_LIMIT).map((l) => {
      const album: Record<string, unknown> = {
        "@type": "MusicAlbum",
        name: l.title,
        url: base + linkPath(artist, l),
        byArtist: { "@type": "MusicGroup", name: artist.name, url: canonicalUrl },
      };
      const date = schemaDate(l.releaseDate, l.releaseDatePrecision);
      if (date) album.datePublished = date;
      const img = safeHttpUrl(l.artworkUrl);
      if (img) album.image = img;
      return album;
    });
  }

  const count = links.length;
  return renderDocument({
    theme,
    title: artist.name,
    description:
      artist.hubDescription?.trim() ||
      `${artist.name}: ${count === 1 ? "1 release" : `${count} releases`}. Listen on Spotify.`,
    canonicalUrl,
    ogType: "profile",
    imageUrl: artist.imageUrl ?? links.find((l) => safeHttpUrl(l.artworkUrl))?.artworkUrl ?? null,
    imageAlt: artist.name,
    jsonLd,
    body,
  });
}
