const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and quoted attributes. */
export function escapeEmailText(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * The one layout every Backbeat e-mail uses: a table-based, inline-styled single column
 * (what e-mail clients render reliably), a preheader, one call-to-action button with the
 * URL also written out, and a footer. Callers pass already-escaped `paragraphsHtml`.
 */
export function renderEmailLayout(input: { preheader: string; heading: string; paragraphsHtml: string[]; buttonLabel: string; buttonUrl: string; footer: string }): string {
  const url = escapeEmailText(input.buttonUrl);
  const paragraphs = input.paragraphsHtml.map((p) => `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;color:#27272a">${p}</p>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeEmailText(input.heading)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif">
<div style="display:none;max-height:0;overflow:hidden">${escapeEmailText(input.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5"><tr><td align="center" style="padding:32px 16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border-radius:12px"><tr><td style="padding:32px">
<p style="margin:0 0 24px;font-size:18px;font-weight:700;color:#18181b">Backbeat</p>
<h1 style="margin:0 0 16px;font-size:22px;color:#18181b">${escapeEmailText(input.heading)}</h1>
${paragraphs}
<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 24px"><tr><td style="background:#18181b;border-radius:8px"><a href="${url}" style="display:inline-block;padding:12px 22px;color:#ffffff;font-size:15px;font-weight:600;text-decoration:none">${escapeEmailText(input.buttonLabel)}</a></td></tr></table>
<p style="margin:0 0 16px;font-size:13px;color:#52525b">Or paste this link into your browser:<br><a href="${url}" style="color:#2563eb;word-break:break-all">${url}</a></p>
<p style="margin:24px 0 0;font-size:12px;color:#71717a">${escapeEmailText(input.footer)}</p>
</td></tr></table></td></tr></table></body></html>`;
}
