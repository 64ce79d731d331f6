import { renderEmailLayout, type RenderedEmail } from "./render-email-layout";

/**
 * The sign-in link e-mail (HTML + text). `url` is Better Auth's verify URL; it works once
 * and expires after `expiresInMinutes`.
 */
export function renderMagicLinkEmail(input: { url: string; expiresInMinutes: number }): RenderedEmail {
  const subject = "Your Backbeat sign-in link";
  const html = renderEmailLayout({
    preheader: `Sign in to Backbeat. The link works once, for ${input.expiresInMinutes} minutes.`,
    heading: "Sign in to Backbeat",
    paragraphsHtml: [`Click the button to sign in. The link works once and expires in ${input.expiresInMinutes} minutes.`],
    buttonLabel: "Sign in",
    buttonUrl: input.url,
    footer: "If you didn't ask to sign in, ignore this e-mail: nothing happens without the link.",
  });
  const text = `Sign in to Backbeat\n\nOpen this link to sign in (it works once and expires in ${input.expiresInMinutes} minutes):\n${input.url}\n\nIf you didn't ask to sign in, ignore this e-mail.\n`;
  return { subject, html, text };
}
