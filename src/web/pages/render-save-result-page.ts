/**
 * The page a fan sees after Save on Spotify (or pre-save) comes back from authorization.
 */
import { renderDocument } from "./document";
import { baseUrl, escapeHtml, safeHttpUrl, truncate } from "./escape";
import { artworkImg, linkPath, releaseArtistNames, releaseJsonLd } from "./release";
import { resolveTheme } from "./themes";
import type { ArtistRow, SmartLinkRow } from "./types";

export type SaveStepKey = "save" | "follow" | "playback" | "presave";

export interface SaveStep {
  key: SaveStepKey;
  ok: boolean;
  /** Plain-word outcome, e.g. "Saved to your library", "Following Alice", "No active Spotify device". */
  text: string;
}

export interface RenderSaveResultPageInput {
  link: SmartLinkRow;
  artist: ArtistRow;
  publicUrl: string;
  /** Outcomes in the order they should be listed. */
  steps: readonly SaveStep[];
  /** https URL of the release on Spotify; a non-http(s) value is dropped. */
  openInSpotifyUrl: string;
}

function heading(steps: readonly SaveStep[]): string {
  const main = steps.find((s) => s.key === "save" || s.key === "presave");
  if (main?.key === "presave") return main.ok ? "Pre-saved" : "Pre-save didn't work";
  if (main) return main.ok ? "Saved" : "Save didn't work";
  return steps.length > 0 && steps.every((s) => s.ok) ? "Done" : "Something didn't work";
}

/**
 * Renders the save outcome: one line per step (✓ / ✕ with a text equivalent for screen
 * readers), "Open in Spotify", a link back to the smart link, and "Delete my data".
 * Not indexed; canonical points at the smart link.
 */
export function renderSaveResultPage(input: RenderSaveResultPageInput): string {
  const { link, artist } = input;
  const theme = resolveTheme(link.theme);
  const path = linkPath(artist, link);
  const artists = releaseArtistNames(link, artist);
  const status = heading(input.steps);

  let steps = "";
  for (const step of input.steps) {
    steps += step.ok
      ? `<li class="step step-ok"><span class="step-icon" aria-hidden="true">✓</span><span><span class="sr-only">Done: </span>`
      : `<li class="step step-no"><span class="step-icon" aria-hidden="true">✕</span><span><span class="sr-only">Not done: </span>`;
    steps += `${escapeHtml(truncate(step.text, 300))}</span></li>`;
  }

  const art = artworkImg(link.artworkUrl, `Artwork for ${link.title} by ${artists}`, {
    className: "art",
    size: 640,
    eager: true,
  });
  const spotify = safeHttpUrl(input.openInSpotifyUrl);
  let info =
    `<p class="status" role="status">${status}</p>` +
    `<h1>${escapeHtml(link.title)}</h1><p class="by">${escapeHtml(artists)}</p>`;
  if (steps) info += `<h2 class="sr-only" id="outcome">What happened</h2><ul class="steps" aria-labelledby="outcome">${steps}</ul>`;
  if (spotify) info += `<a class="btn btn-primary" href="${escapeHtml(spotify)}">Open in Spotify</a>`;
  info +=
    `<a class="btn btn-secondary" href="${escapeHtml(path)}">Back to ${escapeHtml(link.title)}</a>` +
    `<p class="hint">Changed your mind? <a href="/data-deletion">Delete my data</a></p>`;

  return renderDocument({
    theme,
    title: `${status}: ${link.title} by ${artists}`,
    description: `${link.title} by ${artists}.`,
    canonicalUrl: baseUrl(input.publicUrl) + path,
    ogType: "website",
    imageUrl: link.artworkUrl,
    imageAlt: `Artwork for ${link.title}`,
    jsonLd: releaseJsonLd(link, artist, input.publicUrl),
    noindex: true,
    body: `<div class="panel"><div class="hero">${art}<div class="info">${info}</div></div></div>`,
    footer: `<a href="/legal/privacy">Privacy</a>`,
  });
}
