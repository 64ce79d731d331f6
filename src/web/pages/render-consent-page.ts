/**
 * `/legal/consent`: the fan's ad-measurement choice and the way to change or withdraw it
 * (P10). Plain forms: works without JavaScript, with the keyboard and a screen reader.
 */
import { renderDocument } from "./document";
import { baseUrl, escapeHtml } from "./escape";
import { resolveTheme } from "./themes";

export interface RenderConsentPageInput {
  publicUrl: string;
  mode: "opt-in" | "opt-out" | "off";
  policyVersion: string;
  /** The choice that applies now, or null. */
  choice: "granted" | "denied" | null;
  /** Whether ad measurement is on for this browser now. */
  adsAllowed: boolean;
  /** Shown after a choice was just saved. */
  saved?: boolean;
}

/** Renders the settings page (complete HTML document). */
export function renderConsentPage(input: RenderConsentPageInput): string {
  const base = baseUrl(input.publicUrl);
  const state = input.adsAllowed ? "on" : "off";
  let body =
    `<div class="panel"><h1>Cookie settings</h1>` +
    (input.saved ? `<p role="status"><strong>Your choice is saved.</strong></p>` : "") +
    `<p>Ad measurement lets this site remember which ad brought you here (first-party cookies) and tell the artist's ad platforms (Meta, Google, TikTok, Reddit) about your visits, saves and follows, so artists learn which ads work. It is <strong>${state}</strong> for this browser.</p>`;
  if (input.mode === "off") {
    body += `<p>This installation does not ask for consent (consent mode <code>off</code>). To stop all measurement, <a href="/data-deletion">delete your data</a>.</p>`;
  } else {
    const form = (choice: string, label: string, cls: string) =>
      `<form method="post" action="/legal/consent"><input type="hidden" name="return" value="/legal/consent?saved=1"><button type="submit" name="choice" value="${choice}" class="btn ${cls}">${label}</button></form>`;
    body += input.adsAllowed
      ? form("withdraw", "Withdraw consent", "btn-primary") + `<p class="hint">Withdrawing clears the ad-click cookies at once and stops anything more being sent about you.</p>`
      : form("accept", "Accept ad measurement", "btn-primary");
    body += `<p class="hint">Policy version ${escapeHtml(input.policyVersion)}, consent mode ${escapeHtml(input.mode)}. <a href="/legal/privacy#cookies">Cookies we use</a>.</p>`;
  }
  body += `</div>`;
  return renderDocument({
    theme: resolveTheme("classic"),
    title: "Cookie settings",
    description: "Your ad-measurement choice on this Backbeat installation.",
    canonicalUrl: `${base}/legal/consent`,
    ogType: "website",
    noindex: true,
    jsonLd: { "@context": "https://schema.org", "@type": "WebPage", name: "Cookie settings", url: `${base}/legal/consent` },
    body,
  });
}
