import { describe, expect, it } from "vitest";
import { renderInvitationEmail } from "./render-invitation-email";
import { renderMagicLinkEmail } from "./render-magic-link-email";

describe("e-mail templates", () => {
  it("invitation: subject, clickable accept link in HTML and text, user-supplied names escaped", () => {
    const mail = renderInvitationEmail({ inviterName: "Ana <script>", targetName: "Tom & Jerry Records", role: "editor", acceptUrl: "https://go.example.com/app/invitations/tok_1?a=1&b=2" });
    expect(mail.subject).toBe("Ana <script> invited you to Tom & Jerry Records on Backbeat");
    expect(mail.html).toContain('href="https://go.example.com/app/invitations/tok_1?a=1&amp;b=2"');
    expect(mail.html).toContain("Ana &lt;script&gt;");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Tom &amp; Jerry Records");
    expect(mail.html).toContain("an editor");
    expect(mail.text).toContain("https://go.example.com/app/invitations/tok_1?a=1&b=2");
    expect(mail.text).toContain("expires in 7 days");
  });

  it("magic link: the link in both parts and the expiry", () => {
    const mail = renderMagicLinkEmail({ url: "https://go.example.com/auth/magic-link/verify?token=t&callbackURL=/app", expiresInMinutes: 10 });
    expect(mail.html).toContain('href="https://go.example.com/auth/magic-link/verify?token=t&amp;callbackURL=/app"');
    expect(mail.text).toContain("https://go.example.com/auth/magic-link/verify?token=t&callbackURL=/app");
    expect(mail.text).toContain("10 minutes");
  });
});
