/**
 * The smart-link landing page (`/{artistSlug}/{linkSlug}`), the hot path of Play.
 */
import { renderDocument } from "./document";
import { baseUrl, escapeHtml, truncate } from "./escape";
import {
  SERVICE_NAMES,
  daysUntil,
  joinNames,
  formatReleaseDate,
  isFutureRelease,
  isServiceKey,
  releaseTypeLabel,
  type ServiceKey,
} from "./format";
import { artworkImg, linkPath, releaseArtistNames, releaseJsonLd } from "./release";
import { resolveTheme } from "./themes";
import type { ArtistRow, SmartLinkRow } from "./types";

export interface RenderSmartLinkPageInput {
  link: SmartLinkRow;
  artist: ArtistRow;
  /** Public origin, e.g. `https://go.example.com` (trailing slash tolerated). */
  publicUrl: string;
  /** In-app browser the fan is in (`instagram`, `facebook`, `tiktok`, `snapchat`), or null. */
  inAppBrowser: string | null;
  /** False when Save on Spotify is unavailable (e.g. development-mode user cap): service links only. */
  saveEnabled: boolean;
  /** Optional one-line message shown above the actions (plain text). */
  notice?: string;
  /** The injected clock's now: decides between the release page and the pre-save page. */
  now: Date;
}

const IN_APP_NAMES: Record<string, string> = {
  instagram: "Instagram",
  facebook: "Facebook",
  tiktok: "TikTok",
  snapchat: "Snapchat",
};

function whenText(days: number): string {
  if (days <= 1) return "tomorrow";
  return `in ${days} days`;
}

/**
 * Renders the smart-link page as a complete HTML document (UTF-8 string).
 *
 * - Released: "Save on Spotify" (POST `…/save`) as the primary action, then one button per
 *   visible service, in stored order, to `…/go/{service}`.
 * - Release date after today (UTC): pre-save page, "Out <date>" and "Pre-save on Spotify"
 *   (same form action).
 * - In an in-app browser, a notice linking to `…/open-in-browser` comes first and the Save
 *   button turns secondary.
 * Services with an unknown key, hidden services and repeated keys are not rendered. Pixels
 * are ignored here (they need consent, handled elsewhere). No script is emitted besides
 * the inert JSON-LD block.
 */
export function renderSmartLinkPage(input: RenderSmartLinkPageInput): string {
  const { link, artist, now } = input;
  const theme = resolveTheme(link.theme);
  const path = linkPath(artist, link);
  const canonicalUrl = baseUrl(input.publicUrl) + path;
  const pathAttr = escapeHtml(path);
  const artists = releaseArtistNames(link, artist);
  const title = escapeHtml(link.title);
  const typeLabel = releaseTypeLabel(link.releaseType);
  const dateText = formatReleaseDate(link.releaseDate, link.releaseDatePrecision);
  const future = isFutureRelease(link.releaseDate, now);
  const inApp = input.saveEnabled && input.inAppBrowser ? input.inAppBrowser : null;

  let info = `<h1>${title}</h1><p class="by">${escapeHtml(artists)}</p>`;
  if (future && link.releaseDate && dateText) {
    info +=
      `<p class="meta">${typeLabel} · Pre-save</p>` +
      `<p class="out"><time datetime="${link.releaseDate}">Out ${dateText}</time> · ${whenText(daysUntil(link.releaseDate, now))}</p>`;
  } else {
    info += `<p class="meta">${typeLabel}${dateText ? ` · <time datetime="${escapeHtml(link.releaseDate ?? "")}">${dateText}</time>` : ""}</p>`;
  }

  if (input.notice) info += `<p class="notice" role="status">${escapeHtml(truncate(input.notice, 300))}</p>`;

  if (inApp) {
    const appName = IN_APP_NAMES[inApp] ?? "this app";
    info +=
      `<div class="notice" role="note"><p><strong>Open in your browser to save on Spotify</strong></p>` +
      `<p class="hint">Spotify sign-in doesn't work inside ${escapeHtml(appName)}'s browser.</p>` +
      `<a class="btn btn-primary" href="${pathAttr}/open-in-browser">Open in browser</a></div>`;
  }

  if (input.saveEnabled) {
    const label = future ? "Pre-save on Spotify" : "Save on Spotify";
    const hint = future
      ? "It will be saved to your Spotify library on release day."
      : `Saves it to your Spotify library and follows ${escapeHtml(artist.name)}.`;
    info +=
      `<form method="post" action="${pathAttr}/save"><button type="submit" class="btn ${inApp ? "btn-secondary" : "btn-primary"}">${label}</button></form>` +
      `<p class="hint">${hint}</p>`;
  }

  const seen = new Set<ServiceKey>();
  let services = "";
  const action = future ? "Open" : "Play";
  for (const s of link.services) {
    if (s.hidden || !isServiceKey(s.service) || seen.has(s.service)) continue;
    seen.add(s.service);
    services += `<li><a class="svc" href="${pathAttr}/go/${s.service}"><span>${SERVICE_NAMES[s.service]}</span><span class="svc-act">${action}</span></a></li>`;
  }
  if (services) {
    info += `<h2 class="sr-only" id="listen">Listen on</h2><ul class="services" aria-labelledby="listen">${services}</ul>`;
  }

  if (link.description) info += `<p class="desc">${escapeHtml(truncate(link.description, 2000))}</p>`;

  const art = artworkImg(link.artworkUrl, `Artwork for ${link.title} by ${artists}`, {
    className: "art",
    size: 640,
    eager: true,
  });
  const body = `<div class="panel"><div class="hero">${art}<div class="info">${info}</div></div></div>`;

  const jsonLd = releaseJsonLd(link, artist, input.publicUrl);
  const defaultDescription = future
    ? `Pre-save ${link.title} by ${artists}, out ${dateText ?? "soon"}.`
    : `Listen to ${link.title} by ${artists} on ${joinNames([...seen].map((k) => SERVICE_NAMES[k])) || "Spotify"}.`;
  const extraMeta: Array<[string, string]> = [];
  const jsonDate = jsonLd.datePublished;
  if (typeof jsonDate === "string") extraMeta.push(["music:release_date", jsonDate]);

  return renderDocument({
    theme,
    title: `${link.title} by ${artists}`,
    description: link.description?.trim() || defaultDescription,
    canonicalUrl,
    ogType: jsonLd["@type"] === "MusicRecording" ? "music.song" : "music.album",
    imageUrl: link.artworkUrl,
    imageAlt: `Artwork for ${link.title}`,
    extraMeta,
    jsonLd,
    body,
  });
}
