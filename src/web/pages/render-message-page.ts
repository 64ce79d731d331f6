/**
 * A friendly error / information page in the public-page look (not found, consent
 * denied, expired state, development-mode cap, missing scope…). Never indexed.
 */
import { renderDocument } from "./document";
import { baseUrl, escapeHtml, truncate } from "./escape";
import { resolveTheme } from "./themes";

export interface RenderMessagePageInput {
  publicUrl: string;
  /** HTTP status the route answers with; ≥ 400 shows "Error <status>". */
  status: number;
  title: string;
  message: string;
  /** Where "Go back" leads: a same-site path (`/artist/link`) or a URL on `publicUrl`'s origin. Anything else is ignored. */
  backUrl?: string;
  /** Theme of the page the fan came from; `classic` by default. */
  theme?: string;
  /** Path of the page itself, for the canonical URL; `/` by default. */
  path?: string;
}

/** A path on this site (`/…`, not `//…` or `/\…`), or `null`. */
function sameSitePath(value: string | undefined, publicUrl: string): string | null {
  if (!value) return null;
  if (/^\/(?![/\\])/.test(value)) {
    return /[\s\u0000-\u001f\u007f]/.test(value) ? null : value;
  }
  try {
    const url = new URL(value);
    const origin = new URL(publicUrl).origin;
    if (url.origin === origin && (url.protocol === "https:" || url.protocol === "http:")) {
      return url.pathname + url.search;
    }
  } catch {
    // fall through
  }
  return null;
}

/** Renders the message page as a complete HTML document with `robots: noindex`. */
export function renderMessagePage(input: RenderMessagePageInput): string {
  const base = baseUrl(input.publicUrl);
  const ownPath = sameSitePath(input.path, input.publicUrl) ?? "/";
  const back = sameSitePath(input.backUrl, input.publicUrl);
  const title = truncate(input.title, 120);
  const message = truncate(input.message, 1000);

  let body = `<div class="panel center">`;
  if (input.status >= 400) body += `<p class="status">Error ${Math.trunc(input.status)}</p>`;
  body += `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`;
  if (back) body += `<a class="btn btn-secondary" href="${escapeHtml(back)}">Go back</a>`;
  body += `</div>`;

  return renderDocument({
    theme: resolveTheme(input.theme),
    title,
    description: message,
    canonicalUrl: base + ownPath,
    ogType: "website",
    jsonLd: {
      "@context": "https://schema.org",
      "@type": "WebPage",
      name: title,
      description: message,
      url: base + ownPath,
    },
    noindex: true,
    body,
  });
}
