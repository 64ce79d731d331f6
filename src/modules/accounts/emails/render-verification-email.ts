import { renderEmailLayout, type RenderedEmail } from "./render-email-layout";

/**
 * The "confirm your e-mail" message sent on sign-up with e-mail + password and on a resend
 * from the dashboard (HTML + text). `url` is Better Auth's `/auth/verify-email` link; it
 * expires after `expiresInHours`. A verified address keeps its password when its owner
 * later signs in with a magic link.
 */
export function renderVerificationEmail(input: { url: string; expiresInHours: number }): RenderedEmail {
  const subject = "Confirm your e-mail for Backbeat";
  const html = renderEmailLayout({
    preheader: `Confirm your e-mail address. The link works for ${input.expiresInHours} hours.`,
    heading: "Confirm your e-mail",
    paragraphsHtml: [`Click the button to confirm this address for your Backbeat account. The link expires in ${input.expiresInHours} hours.`],
    buttonLabel: "Confirm e-mail",
    buttonUrl: input.url,
    footer: "If you didn't create a Backbeat account, ignore this e-mail: nothing happens without the link.",
  });
  const text = `Confirm your e-mail for Backbeat\n\nOpen this link to confirm this address (it expires in ${input.expiresInHours} hours):\n${input.url}\n\nIf you didn't create a Backbeat account, ignore this e-mail.\n`;
  return { subject, html, text };
}
