import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const EMPTY = { body: { data: [], nextCursor: null } };

describe("verify e-mail notice", () => {
  it("tells an unverified user where the link went and resends it", async () => {
    const me = meFixture();
    const api = mockApi({
      ...signedInRoutes(me),
      "GET /auth/get-session": { body: { session: { id: "ses_1", expiresAt: NOW }, user: { ...me.user, emailVerified: false } } },
      "GET /api/v1/artists/art_pit/smart-links": EMPTY,
      "POST /auth/send-verification-email": { body: { status: true } },
    });
    renderApp("/app/artists/art_pit");
    const notice = await screen.findByText(/Verify your e-mail — we sent a link to/);
    expect(notice.textContent).toContain("ana@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Resend the link" }));
    await screen.findByText(/Sent again/);
    expect(api.callsTo("POST /auth/send-verification-email")[0]!.body).toEqual({ email: "ana@example.com", callbackURL: "/app" });
  });

  it("stays away for a verified user", async () => {
    const me = meFixture();
    mockApi({
      ...signedInRoutes(me),
      "GET /auth/get-session": { body: { session: { id: "ses_1", expiresAt: NOW }, user: { ...me.user, emailVerified: true } } },
      "GET /api/v1/artists/art_pit/smart-links": EMPTY,
    });
    renderApp("/app/artists/art_pit");
    await waitFor(() => expect(window.location.pathname).toBe("/app/artists/art_pit"));
    await screen.findByRole("heading", { level: 1 });
    expect(screen.queryByText(/Verify your e-mail/)).toBeNull();
  });
});
