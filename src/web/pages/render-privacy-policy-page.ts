import { renderDocument } from "./document";
import { baseUrl, escapeHtml } from "./escape";
import { resolveTheme } from "./themes";

export interface PolicyCookie {
  name: string;
  purpose: string;
  /** Human-readable lifetime, e.g. "1 year". */
  lifetime: string;
}

export interface PolicyRetention {
  what: string;
  period: string;
}

const CONSENT_TEXT: Record<"opt-in" | "opt-out" | "off", string> = {
  "opt-in": "This installation asks first (consent mode opt-in): nothing is stored or shared for ad measurement until you tap Accept.",
  "opt-out": "This installation measures ads unless you decline (consent mode opt-out): tap Decline on the banner or withdraw in cookie settings to stop it.",
  off: "This installation does not ask for consent (consent mode off): ad-click cookies and pixels are used on every visit. To stop it, delete your data.",
};

/**
 * `/legal/privacy`: the parts of the policy that depend on this installation (P21) —
 * the cookies and retention periods the running configuration actually uses, and the
 * Spotify permissions fans are asked for. Everything passed in is rendered escaped.
 */
export function renderPrivacyPolicyPage(input: {
  publicUrl: string;
  cookies: readonly PolicyCookie[];
  retention: readonly PolicyRetention[];
  scopes: ReadonlyArray<{ scope: string; why: string }>;
  /** Consent for ad measurement (config `CONSENT_MODE`, `CONSENT_POLICY_VERSION`). */
  consent: { mode: "opt-in" | "opt-out" | "off"; policyVersion: string };
}): string {
  const base = baseUrl(input.publicUrl);
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  const body =
    `<div class="panel"><h1>Privacy</h1>` +
    `<p>This page lists what this Backbeat installation stores about fans who use its smart links, how long, and why. Fans can <a href="/data-deletion">delete their data</a> at any time.</p>` +
    `<h2 id="cookies">Cookies</h2><table><thead><tr><th>name</th><th>purpose</th><th>lifetime</th></tr></thead><tbody>${rows(input.cookies.map((c) => [c.name, c.purpose, c.lifetime]))}</tbody></table>` +
    `<p>The Play cookie is never used for advertising and never sent to anyone else. Ad-click cookies hold only the click id an ad added to the link, and are set only as described below.</p>` +
    `<h2 id="consent">Ad measurement and consent</h2><p>${escapeHtml(CONSENT_TEXT[input.consent.mode])} You can change your choice at any time in <a href="/legal/consent">cookie settings</a>; withdrawing clears the ad-click cookies on your next page and stops anything more being sent about you. Policy version ${escapeHtml(input.consent.policyVersion)}.</p>` +
    `<p>With consent, a smart link may load the artist's ad pixels (Meta, Google Ads, TikTok, Reddit) and we send the same visits, saves and follows to those platforms' conversion APIs, with the click ids, your IP address and browser as they require, and e-mail or phone only as a one-way hash. Without consent these pages make no request to any ad platform.</p>` +
    `<h2>Retention</h2><table><thead><tr><th>data</th><th>kept</th></tr></thead><tbody>${rows(input.retention.map((r) => [r.what, r.period]))}</tbody></table>` +
    `<h2>Spotify permissions</h2><p>When you tap Save on Spotify, we ask Spotify for these permissions and use them only for the release and artist on that page:</p>` +
    `<table><thead><tr><th>permission</th><th>why</th></tr></thead><tbody>${rows(input.scopes.map((s) => [s.scope, s.why]))}</tbody></table>` +
    `<p>Visits are counted with a salted hash that changes every day; your IP address is never stored with them.</p>` +
    `</div>`;
  return renderDocument({
    theme: resolveTheme("classic"),
    title: "Privacy",
    description: "Cookies, retention periods and Spotify permissions used by this Backbeat installation.",
    canonicalUrl: `${base}/legal/privacy`,
    ogType: "website",
    jsonLd: { "@context": "https://schema.org", "@type": "WebPage", name: "Privacy", url: `${base}/legal/privacy` },
    body: `<style>.policy{width:100%;border-collapse:collapse;font-size:.875rem;margin:.5rem 0 1rem}.policy th,.policy td{text-align:left;vertical-align:top;padding:.375rem .5rem;border-bottom:1px solid var(--border);overflow-wrap:break-word;word-break:normal}</style>${body.replaceAll("<table>", '<table class="policy">')}`,
  });
}
