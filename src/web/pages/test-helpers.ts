/**
 * Builders and HTML assertions shared by the page tests (not imported by production code).
 */
import type { ServiceLink } from "../../db/schema/play";
import type { ArtistRow, SmartLinkRow } from "./types";

export const PUBLIC_URL = "https://go.backbeat.test";
export const ARTWORK = "https://i.scdn.co/image/ab67616d0000b273aaaaaaaaaaaaaaaaaaaaaaaa";
export const NOW = new Date("2026-11-29T12:00:00Z");

export const ALL_SERVICES: ServiceLink[] = [
  { service: "spotify", url: "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy", hidden: false },
  { service: "apple_music", url: "https://music.apple.com/us/album/1", hidden: false },
  { service: "youtube_music", url: "https://music.youtube.com/playlist?list=OLAK", hidden: false },
  { service: "amazon_music", url: "https://music.amazon.com/albums/B0", hidden: false },
  { service: "deezer", url: "https://www.deezer.com/album/1", hidden: false },
  { service: "tidal", url: "https://tidal.com/browse/album/1", hidden: false },
  { service: "soundcloud", url: "https://soundcloud.com/a/sets/b", hidden: false },
  { service: "bandcamp", url: "https://a.bandcamp.com/album/b", hidden: false },
];

export function makeArtist(over: Partial<ArtistRow> = {}): ArtistRow {
  return {
    id: "art_01",
    slug: "nova-lane",
    name: "Nova Lane",
    spotifyArtistId: "0OdUWJ0sBjDrqHygGUXeCF",
    organizationId: null,
    imageUrl: "https://i.scdn.co/image/ab6761610000e5ebbbbbbbbbbbbbbbbbbbbbbbbb",
    genres: ["indie pop", "dream pop"],
    hubTheme: "classic",
    hubDescription: null,
    hubPublished: true,
    catalogImportedAt: null,
    attributionWindowDays: 28,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-01T00:00:00Z"),
    ...over,
  };
}

export function makeLink(over: Partial<SmartLinkRow> = {}): SmartLinkRow {
  return {
    id: "lnk_01",
    artistId: "art_01",
    slug: "midnight-static",
    spotifyAlbumId: "4aawyAB9vmqN3uQ7FjRGTy",
    releaseType: "album",
    title: "Midnight Static",
    releaseArtists: [{ spotifyId: "0OdUWJ0sBjDrqHygGUXeCF", name: "Nova Lane" }],
    artworkUrl: ARTWORK,
    releaseDate: "2026-03-14",
    releaseDatePrecision: "day",
    upc: "00602445790210",
    isrc: null,
    trackIds: ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"],
    services: ALL_SERVICES.slice(0, 4),
    theme: "classic",
    pixels: {},
    description: null,
    published: true,
    createdAt: new Date("2026-03-01T00:00:00Z"),
    updatedAt: new Date("2026-03-01T00:00:00Z"),
    ...over,
  };
}

/** Every URL-bearing attribute (`src`, `href`, `action`, …) of every element, HTML-decoded. */
export function urlAttributes(html: string): { attr: string; value: string }[] {
  const out: { attr: string; value: string }[] = [];
  for (const m of html.matchAll(TAG)) {
    for (const a of (m[2] ?? "").matchAll(ATTR_VALUE)) {
      const name = a[1]!.toLowerCase();
      if (URL_ATTRS.has(name)) out.push({ attr: name, value: decodeEntities(a[2] ?? a[3] ?? a[4] ?? "") });
    }
  }
  return out;
}

const URL_ATTRS = new Set(["src", "href", "action", "srcset", "poster", "formaction", "data", "background"]);
const ATTR_VALUE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The parsed JSON-LD blocks of a page (throws if one does not parse). */
export function jsonLdBlocks(html: string): unknown[] {
  const blocks: unknown[] = [];
  for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    blocks.push(JSON.parse(m[1]!));
  }
  return blocks;
}

/** `<script` opening tags in the page. */
export function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
}

/** Values of `<meta property|name=… content=…>`. */
export function metaContent(html: string, key: string): string | undefined {
  const re = new RegExp(`<meta (?:property|name)="${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" content="([^"]*)">`);
  const m = re.exec(html);
  return m ? decodeEntities(m[1]!) : undefined;
}

/** Text-ish check that no element or attribute was injected: no raw `<img`/`<script` from data. */
export function countTag(html: string, tag: string): number {
  return (html.match(new RegExp(`<${tag}\\b`, "gi")) ?? []).length;
}

const TAG = /<([a-z][a-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/gi;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

/** Names of all elements and of all their attributes, tokenized the way a browser would (quotes respected). */
export function elementsAndAttributes(html: string): { tag: string; attrs: string[] }[] {
  const out: { tag: string; attrs: string[] }[] = [];
  for (const m of html.matchAll(TAG)) {
    out.push({ tag: m[1]!.toLowerCase(), attrs: [...(m[2] ?? "").matchAll(ATTR)].map((a) => a[1]!.toLowerCase()) });
  }
  return out;
}

/** HTML with the JSON-LD blocks removed. */
export function withoutJsonLd(html: string): string {
  return html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, "");
}
