import { escapeHtml } from "../../spotify/emulator/escape-html";
import type { SentEmail } from "./create-resend-state";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f5;color:#18181b}main{max-width:860px;margin:0 auto;padding:24px}
h1{font-size:20px}table{width:100%;border-collapse:collapse;background:#fff}td,th{padding:8px 10px;border-bottom:1px solid #e4e4e7;text-align:left}
a{color:#0f62fe}.meta{background:#fff;padding:12px 16px;border:1px solid #e4e4e7}iframe{width:100%;height:560px;border:1px solid #e4e4e7;background:#fff}
pre{white-space:pre-wrap;background:#fff;padding:12px;border:1px solid #e4e4e7}.note{color:#52525b;font-size:13px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The emulator's inbox: every mail sent, newest first, each linking to its page. */
export function renderInboxPage(basePath: string, emails: SentEmail[]): string {
  const rows = [...emails]
    .reverse()
    .map((e) => `<tr><td>${escapeHtml(e.createdAt.replace("T", " ").slice(0, 19))} UTC</td><td>${escapeHtml(e.to.join(", "))}</td><td><a href="${escapeHtml(`${basePath}/inbox/${e.id}`)}">${escapeHtml(e.subject || "(no subject)")}</a></td></tr>`)
    .join("");
  return page(
    "Resend emulator — inbox",
    `<h1>Resend emulator — sent mail</h1><p class="note">Nothing leaves this machine: mail Backbeat sends while Resend is emulated lands here.</p>` +
      (emails.length === 0 ? "<p>No mail yet.</p>" : `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`),
  );
}

/** URLs in the text part, so a link works even if the HTML part has none. */
function linksIn(text: string | null): string[] {
  return [...new Set(text?.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}

/**
 * One mail: headers, the HTML part rendered in a sandboxed iframe (no scripts, no
 * same-origin access; links open in the top window so they are clickable), the text part
 * escaped, and the links it contains.
 */
export function renderEmailPage(basePath: string, email: SentEmail): string {
  const html = email.html ? `<base target="_top">${email.html}` : null;
  const links = linksIn(email.text);
  return page(
    email.subject,
    `<p><a href="${escapeHtml(`${basePath}/`)}">← Inbox</a></p><h1>${escapeHtml(email.subject)}</h1>` +
      `<div class="meta"><div><b>From:</b> ${escapeHtml(email.from)}</div><div><b>To:</b> ${escapeHtml(email.to.join(", "))}</div><div><b>Sent:</b> ${escapeHtml(email.createdAt)}</div><div><b>Id:</b> ${escapeHtml(email.id)}</div></div>` +
      (links.length ? `<h2>Links</h2><ul>${links.map((l) => `<li><a href="${escapeHtml(l)}">${escapeHtml(l)}</a></li>`).join("")}</ul>` : "") +
      (html !== null ? `<h2>HTML</h2><iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(html)}"></iframe>` : "") +
      (email.text !== null ? `<h2>Text</h2><pre>${escapeHtml(email.text)}</pre>` : ""),
  );
}
