import { renderDocument } from "./document";
import { baseUrl, escapeHtml } from "./escape";
import { resolveTheme } from "./themes";

/**
 * `/data-deletion`: what deleting removes, and one button. A fan recognised by a valid
 * Play cookie deletes at once; anyone else proves control by signing in with Spotify.
 */
export function renderDataDeletionPage(input: { publicUrl: string; recognised: boolean }): string {
  const base = baseUrl(input.publicUrl);
  const button = input.recognised ? "Delete my data now" : "Sign in with Spotify to delete my data";
  const who = input.recognised
    ? "This browser is signed in to Backbeat with your Spotify account, so you can delete at once."
    : "To make sure only you can delete your data, you'll sign in with Spotify first. We only use that sign-in to know which data to delete; nothing new is stored.";
  const body =
    `<div class="panel"><h1>Delete my data</h1>` +
    `<p>Deleting removes, right away: your Spotify authorization (the tokens we hold to save and follow for you), your Play profile (Spotify user id, display name, country, subscription type), your pending pre-saves, and the record of your visits, saves, follows and plays on Backbeat pages.</p>` +
    `<p>Counts that don't identify anyone (for example "120 saves this week") remain. Releases you saved and artists you followed stay in your Spotify library; remove them in Spotify if you wish. You can also disconnect Backbeat at <a href="https://www.spotify.com/account/apps/">spotify.com/account/apps</a>.</p>` +
    `<p>To only stop ad measurement (ad-click cookies, pixels and what is sent to ad platforms) without deleting anything, <a href="/legal/consent">withdraw your consent</a>.</p>` +
    `<p class="hint">${escapeHtml(who)}</p>` +
    `<form method="post" action="/data-deletion"><button type="submit" class="btn btn-primary">${escapeHtml(button)}</button></form>` +
    `</div>`;
  return renderDocument({
    theme: resolveTheme("classic"),
    title: "Delete my data",
    description: "Delete the data Backbeat holds about you as a fan.",
    canonicalUrl: `${base}/data-deletion`,
    ogType: "website",
    jsonLd: { "@context": "https://schema.org", "@type": "WebPage", name: "Delete my data", url: `${base}/data-deletion` },
    noindex: true,
    body,
  });
}
