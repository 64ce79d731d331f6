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
}): string {
  const base = baseUrl(input.publicUrl);
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  const body =
    `<div class="panel"><h1>Privacy</h1>` +
    `<p>This page lists what this Backbeat installation stores about fans who use its smart links, how long, and why. Fans can <a href="/data-deletion">delete their data</a> at any time.</p>` +
    `<h2>Cookies</h2><table><thead><tr><th>name</th><th>purpose</th><th>lifetime</th></tr></thead><tbody>${rows(input.cookies.map((c) => [c.name, c.purpose, c.lifetime]))}</tbody></table>` +
    `<p>No advertising or third-party cookies are set by these pages, and the Play cookie is never sent to anyone else.</p>` +
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
