import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const PREVIEW = { organizationName: "Loud Label", artistName: null, role: "viewer", email: "ana@example.com", status: "pending", expiresAt: NOW };

describe("accept invitation", () => {
  it("shows the invitation, accepts it and opens the organization's first artist", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      "GET /api/v1/invitations/tok_abc": { body: PREVIEW },
      "POST /api/v1/invitations/tok_abc/accept": { body: { organizationId: "org_loud", artistId: null, role: "viewer" } },
      "GET /api/v1/artists/art_pit/smart-links": { body: { data: [], nextCursor: null } },
    });
    renderApp("/app/invitations/tok_abc");
    expect((await screen.findByText(/You're invited to join/)).textContent).toContain("Loud Label as a viewer");
    await userEvent.click(screen.getByRole("button", { name: "Accept and join Loud Label" }));
    await screen.findByRole("heading", { level: 1, name: "Smart links" });
    expect(window.location.pathname).toBe("/app/artists/art_pit");
    expect(api.callsTo("POST /api/v1/invitations/tok_abc/accept")).toHaveLength(1);
  });

  it("opens the organization's team when it has no artist yet, and the artist for an artist invitation", async () => {
    const me = { ...meFixture(), organizations: [...meFixture().organizations, { id: "org_new", name: "New Co", role: "viewer" as const }] };
    mockApi({
      ...signedInRoutes(me),
      "GET /api/v1/invitations/tok_abc": { body: { ...PREVIEW, organizationName: "New Co" } },
      "POST /api/v1/invitations/tok_abc/accept": { body: { organizationId: "org_new", artistId: null, role: "viewer" } },
      "GET /api/v1/organizations/org_new/members": { body: { data: [], nextCursor: null } },
      "GET /api/v1/invitations/tok_art": { body: { ...PREVIEW, organizationName: null, artistName: "Pitbull", role: "editor" } },
      "POST /api/v1/invitations/tok_art/accept": { body: { organizationId: null, artistId: "art_pit", role: "editor" } },
      "GET /api/v1/artists/art_pit/smart-links": { body: { data: [], nextCursor: null } },
    });
    const { unmount } = renderApp("/app/invitations/tok_abc");
    await userEvent.click(await screen.findByRole("button", { name: "Accept and join New Co" }));
    await screen.findByRole("heading", { level: 1, name: "Team" });
    expect(window.location.pathname).toBe("/app/orgs/org_new/team");
    unmount();

    renderApp("/app/invitations/tok_art");
    expect((await screen.findByText(/You're invited to join/)).textContent).toContain("Pitbull as an editor");
    await userEvent.click(screen.getByRole("button", { name: "Accept and join Pitbull" }));
    await screen.findByRole("heading", { level: 1, name: "Smart links" });
    expect(window.location.pathname).toBe("/app/artists/art_pit");
  });

  it("says when the invitation is for another address or no longer valid", async () => {
    const me = meFixture();
    mockApi({ ...signedInRoutes(me), "GET /api/v1/invitations/tok_abc": { body: { ...PREVIEW, email: "bo@example.com" } } });
    renderApp("/app/invitations/tok_abc");
    expect(await screen.findByText(/but you're signed in as ana@example.com/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Accept and join Loud Label" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("explains an expired invitation", async () => {
    mockApi({ ...signedInRoutes(), "GET /api/v1/invitations/tok_abc": { body: { ...PREVIEW, status: "expired" } } });
    renderApp("/app/invitations/tok_abc");
    expect(await screen.findByText(/This invitation has expired/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Accept/ })).toBeNull();
  });
});
