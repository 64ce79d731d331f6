import { escapeEmailText, renderEmailLayout, type RenderedEmail } from "./render-email-layout";

const ROLE_WORDS: Record<"admin" | "editor" | "viewer", string> = {
  admin: "an admin (full control, including members and API keys)",
  editor: "an editor (can create and change smart links)",
  viewer: "a viewer (can see links and stats)",
};

/**
 * The invitation e-mail (HTML + text): "`inviterName` invited you to `targetName` as `role`".
 * `targetName` is the organization's or artist's name; `acceptUrl` is `/app/invitations/<token>`
 * on PUBLIC_URL. Names are escaped (they are user input).
 */
export function renderInvitationEmail(input: { inviterName: string; targetName: string; role: "admin" | "editor" | "viewer"; acceptUrl: string }): RenderedEmail {
  const subject = `${input.inviterName} invited you to ${input.targetName} on Backbeat`;
  const html = renderEmailLayout({
    preheader: `Join ${input.targetName} on Backbeat as ${input.role}.`,
    heading: `Join ${input.targetName} on Backbeat`,
    paragraphsHtml: [
      `<b>${escapeEmailText(input.inviterName)}</b> invited you to <b>${escapeEmailText(input.targetName)}</b> as ${escapeEmailText(ROLE_WORDS[input.role])}.`,
      "Accept with the e-mail address this invitation was sent to. The invitation expires in 7 days.",
    ],
    buttonLabel: "Accept invitation",
    buttonUrl: input.acceptUrl,
    footer: "If you weren't expecting this, ignore this e-mail.",
  });
  const text = `${input.inviterName} invited you to ${input.targetName} on Backbeat as ${ROLE_WORDS[input.role]}.\n\nAccept the invitation (expires in 7 days):\n${input.acceptUrl}\n\nIf you weren't expecting this, ignore this e-mail.\n`;
  return { subject, html, text };
}
