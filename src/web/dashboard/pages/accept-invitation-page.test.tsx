import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const PREVIEW = { organizationName: "Loud Label", role: "viewer", email: "ana@example.com", status: "pending", expiresAt: NOW };

describe("accept invitation", () => {
  it("shows the invitation and accepts it", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      "GET /api/v1/invitations/tok_abc": { body: PREVIEW },
      "POST /api/v1/invitations/tok_abc/accept": { body: { organizationId: "org_loud", role: "viewer" } },
      "GET /api/v1/organizations/org_loud/members": { body: { data: [], nextCursor: null } },
      "GET /api/v1/organizations/org_loud/invitations": { body: { data: [], nextCursor: null } },
    });
    renderApp("/app/invitations/tok_abc");
    expect((await screen.findByText(/You're invited to join/)).textContent).toContain("Loud Label as a viewer");
    await userEvent.click(screen.getByRole("button", { name: "Accept and join Loud Label" }));
    await screen.findByRole("heading", { level: 1, name: "Team" });
    expect(api.callsTo("POST /api/v1/invitations/tok_abc/accept")).toHaveLength(1);
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
