/**
 * The consent banner of Play pages (PROMISES P10): a labelled region, in the page flow after
 * `<main>` (never fixed over the content, so it cannot cover Save on a small screen), with
 * Accept / Decline buttons in a plain form that posts to `/legal/consent` — it works
 * without JavaScript and with the keyboard. Click ids of the landing URL ride along as
 * hidden fields (validated again on the server) so an Accept can still keep them.
 */
import { escapeHtml } from "./escape";

export interface RenderConsentBannerInput {
  /** Same-origin path to come back to after the choice (e.g. `/artist/link?gclid=…`). */
  returnPath: string;
  /** Click-id parameters of the landing URL (name → raw value; validated on POST). */
  clickIds: ReadonlyArray<readonly [string, string]>;
  /** `opt-out`: ad measurement is already on; the banner informs and offers Decline. */
  mode: "opt-in" | "opt-out";
}

/** Renders the banner (already-escaped HTML). */
export function renderConsentBanner(input: RenderConsentBannerInput): string {
  const hidden = input.clickIds.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value.slice(0, 600))}">`).join("");
  const text =
    input.mode === "opt-in"
      ? "May we remember which ad brought you here and tell the artist's ad platforms about your visit and saves? Nothing is shared unless you accept."
      : "We remember which ad brought you here and tell the artist's ad platforms about your visit and saves. You can decline.";
  return (
    `<section class="consent" aria-labelledby="consent-title"><div class="panel">` +
    `<h2 id="consent-title">Ad measurement</h2><p>${text} <a href="/legal/privacy#cookies">Details</a></p>` +
    `<form method="post" action="/legal/consent"><input type="hidden" name="return" value="${escapeHtml(input.returnPath)}">${hidden}` +
    `<button type="submit" name="choice" value="accept" class="btn btn-primary">Accept</button>` +
    `<button type="submit" name="choice" value="decline" class="btn btn-secondary">Decline</button>` +
    `</form></div></section>`
  );
}
