/**
 * The HTML shell shared by every public page: head (title, description, canonical, Open
 * Graph, Twitter card, JSON-LD, theme CSS), optional artwork backdrop, body, footer.
 * All values arrive unescaped and are escaped here; `body` is already-escaped HTML.
 */
import { escapeHtml, jsonLdScript, safeHttpUrl, truncate } from "./escape";
import type { Theme } from "./themes";

export interface DocumentInput {
  theme: Theme;
  /** `<title>` and `og:title`. */
  title: string;
  /** Meta description (cut to 200 characters). */
  description: string;
  /** Absolute canonical URL (also `og:url`). */
  canonicalUrl: string;
  /** `og:type`: `music.album`, `music.song`, `profile`, `website`. */
  ogType: string;
  /** Absolute http(s) image URL for the preview card; anything else is dropped. */
  imageUrl?: string | null;
  imageAlt?: string;
  /** Extra `<meta property=…>` pairs, e.g. `music:release_date`. */
  extraMeta?: ReadonlyArray<readonly [string, string]>;
  jsonLd: unknown;
  noindex?: boolean;
  /** Already-escaped inner HTML of `<main>`. */
  body: string;
  /** Escaped HTML for the footer; defaults to the privacy links. */
  footer?: string;
}

const DEFAULT_FOOTER = `<a href="/legal/privacy">Privacy</a> · <a href="/legal/consent">Cookie settings</a> · <a href="/data-deletion">Delete my data</a>`;

function meta(property: string, content: string): string {
  return `<meta property="${property}" content="${escapeHtml(content)}">`;
}

function metaName(name: string, content: string): string {
  return `<meta name="${name}" content="${escapeHtml(content)}">`;
}

/** Renders a complete HTML document. */
export function renderDocument(input: DocumentInput): string {
  const { theme } = input;
  const title = truncate(input.title, 120);
  const description = truncate(input.description.replace(/\s+/g, " ").trim(), 200);
  const canonical = escapeHtml(input.canonicalUrl);
  const image = safeHttpUrl(input.imageUrl);

  let head =
    `<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title>` +
    metaName("description", description) +
    `<link rel="canonical" href="${canonical}">` +
    // A tiny same-origin icon (cached a year), so browsers never ask for a missing /favicon.ico.
    `<link rel="icon" href="/favicon.svg" type="image/svg+xml">` +
    (input.noindex ? `<meta name="robots" content="noindex">` : "") +
    `<meta name="referrer" content="strict-origin-when-cross-origin">` +
    `<meta name="color-scheme" content="${theme.colorScheme}">` +
    `<meta name="theme-color" content="${theme.tokens.bg}">` +
    meta("og:type", input.ogType) +
    meta("og:title", title) +
    meta("og:description", description) +
    `<meta property="og:url" content="${canonical}">` +
    metaName("twitter:card", image ? "summary_large_image" : "summary") +
    metaName("twitter:title", title) +
    metaName("twitter:description", description);
  if (image) {
    const alt = input.imageAlt ?? title;
    head +=
      meta("og:image", image) +
      meta("og:image:alt", alt) +
      metaName("twitter:image", image) +
      metaName("twitter:image:alt", alt);
  }
  if (input.extraMeta) for (const [p, c] of input.extraMeta) head += meta(p, c);
  head += `<style>${theme.css}</style>` + jsonLdScript(input.jsonLd);

  const backdrop =
    theme.backdrop && image
      ? `<img class="backdrop" src="${escapeHtml(image)}" alt="" aria-hidden="true" width="640" height="640" loading="eager" decoding="async">`
      : "";

  return (
    `<!doctype html><html lang="en" dir="ltr"><head>${head}</head><body>` +
    backdrop +
    `<main id="main">${input.body}</main>` +
    `<footer>${input.footer ?? DEFAULT_FOOTER}</footer></body></html>`
  );
}
