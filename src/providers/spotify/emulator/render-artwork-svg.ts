import { createHash } from "node:crypto";
import { escapeHtml } from "./escape-html";

/** Side of the square artwork's viewBox (Spotify's largest cover size). */
export const ARTWORK_SIZE = 640;

/** Sizes listed in `images` (widest first), as Spotify lists album covers. */
export const ARTWORK_SIZES = [640, 300, 64] as const;

/** Hue pairs (degrees) that make pleasant two-stop gradients with white text on top. */
const PALETTES: ReadonlyArray<readonly [number, number]> = [
  [265, 330],
  [200, 265],
  [330, 25],
  [170, 220],
  [15, 45],
  [285, 200],
  [225, 300],
  [350, 275],
];

/** Up to two initials from the words of `name`, parentheses ("(feat. …)") left out. */
export function artworkInitials(name: string): string {
  const words = name
    .replace(/\([^)]*\)|\[[^\]]*\]/g, " ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0]!.toLocaleUpperCase("en"));
  return letters.join("") || "♪";
}

/** Cuts to at most `max` code points, adding `…` when cut. */
function cut(value: string, max: number): string {
  const points = Array.from(value.replace(/\s+/g, " ").trim());
  return points.length <= max ? points.join("") : `${points.slice(0, max - 1).join("").trimEnd()}…`;
}

/** Width left for a caption line (640 minus 40 on each side). */
const CAPTION_WIDTH = 560;

/**
 * A font size that keeps `text` within the caption width, from an average glyph width
 * (`em` per character, on the wide side for system sans fonts), between `min` and `max`.
 * Captions are cut so that they fit at `min`.
 */
function fitFontSize(text: string, max: number, min: number, em: number): number {
  const length = Math.max(1, Array.from(text).length);
  return Math.max(min, Math.min(max, Math.floor(CAPTION_WIDTH / (length * em))));
}

/**
 * A square cover for an emulated album or artist: a two-stop gradient picked from the id
 * (same id, same picture), a few soft shapes, the initials of `title` large in the middle
 * and, for an album, `title` / `subtitle` small at the bottom. Self-contained SVG: no scripts, no external
 * fonts or images; every text is XML-escaped.
 */
export function renderArtworkSvg(input: { id: string; title: string; subtitle?: string; kind: "album" | "artist" }): string {
  const digest = createHash("sha256").update(input.id).digest();
  const [h1, h2] = PALETTES[digest[0]! % PALETTES.length]!;
  const shift = (digest[1]! % 30) - 15;
  const hue = (h: number): number => (h + shift + 360) % 360;
  const from = `hsl(${hue(h1)},70%,42%)`;
  const to = `hsl(${hue(h2)},75%,30%)`;
  const glow = `hsl(${hue(h2)},90%,70%)`;
  // Two soft circles whose position depends on the id.
  const cx1 = 120 + (digest[2]! % 400);
  const cy1 = 80 + (digest[3]! % 220);
  const cx2 = 80 + (digest[4]! % 480);
  const cy2 = 380 + (digest[5]! % 200);

  const initialsText = artworkInitials(input.title);
  const initials = escapeHtml(initialsText);
  const size = Array.from(initialsText).length > 1 ? 220 : 280;
  const titleText = cut(input.title, 42);
  const title = escapeHtml(titleText);
  // Artist pictures are shown in a circle: no caption near the corners.
  const caption = input.kind === "album";
  const cy = caption ? 300 : 320;
  const subtitleText = caption && input.subtitle ? cut(input.subtitle, 60) : "";
  const subtitle = escapeHtml(subtitleText);
  const font = `system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif`;

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${ARTWORK_SIZE}" height="${ARTWORK_SIZE}" viewBox="0 0 ${ARTWORK_SIZE} ${ARTWORK_SIZE}" role="img" aria-label="${title}">` +
    `<defs>` +
    `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient>` +
    `<radialGradient id="glow"><stop offset="0" stop-color="${glow}" stop-opacity=".55"/><stop offset="1" stop-color="${glow}" stop-opacity="0"/></radialGradient>` +
    `<linearGradient id="shade" x1="0" y1="0" x2="0" y2="1"><stop offset=".55" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity=".45"/></linearGradient>` +
    `</defs>` +
    `<rect width="640" height="640" fill="url(#bg)"/>` +
    `<circle cx="${cx1}" cy="${cy1}" r="260" fill="url(#glow)"/>` +
    `<circle cx="${cx2}" cy="${cy2}" r="200" fill="url(#glow)"/>` +
    `<circle cx="320" cy="${cy}" r="190" fill="none" stroke="#fff" stroke-opacity=".14" stroke-width="2"/>` +
    `<circle cx="320" cy="${cy}" r="150" fill="none" stroke="#fff" stroke-opacity=".08" stroke-width="2"/>` +
    `<rect width="640" height="640" fill="url(#shade)"/>` +
    `<text x="320" y="${cy}" dy=".35em" text-anchor="middle" font-family="${font}" font-size="${size}" font-weight="800" fill="#fff" fill-opacity=".94">${initials}</text>` +
    (caption ? `<text x="40" y="${subtitle ? 566 : 592}" font-family="${font}" font-size="${fitFontSize(titleText, 30, 20, 0.66)}" font-weight="700" fill="#fff">${title}</text>` : "") +
    (subtitle ? `<text x="40" y="602" font-family="${font}" font-size="${fitFontSize(subtitleText, 22, 16, 0.58)}" fill="#fff" fill-opacity=".8">${subtitle}</text>` : "") +
    `</svg>`
  );
}
