import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const BASE = "/api/v1/organizations/org_loud";
const MEMBERS = {
  data: [
    { userId: "usr_ana", name: "Ana", email: "ana@example.com", role: "admin", joinedAt: NOW, via: "organization" },
    { userId: "usr_bo", name: "Bo", email: "bo@example.com", role: "viewer", joinedAt: NOW, via: "organization" },
  ],
  nextCursor: null,
};
const INVITATIONS = {
  data: [
    { id: "inv_1", organizationId: "org_loud", artistId: null, email: "cy@example.com", role: "editor", status: "pending", invitedBy: { userId: "usr_ana", name: "Ana" }, createdAt: NOW, expiresAt: NOW },
    // Invited by an API key (or an inviter since erased): no "invited by".
    { id: "inv_0", organizationId: "org_loud", artistId: null, email: "ed@example.com", role: "viewer", status: "pending", invitedBy: null, createdAt: NOW, expiresAt: NOW },
  ],
  nextCursor: null,
};

describe("team", () => {
  it("changes a role, removes a member after confirming, and shows the last-admin 409", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      [`GET ${BASE}/members`]: { body: MEMBERS },
      [`GET ${BASE}/invitations`]: { body: INVITATIONS },
      [`PATCH ${BASE}/members/usr_bo`]: { body: { ...MEMBERS.data[1], role: "editor" } },
      [`DELETE ${BASE}/members/usr_bo`]: { status: 204 },
      [`DELETE ${BASE}/members/usr_ana`]: {
        status: 409,
        body: { error: { code: "CONFLICT", message: "You are the last admin of Loud Label: make someone else admin before leaving.", requestId: "r" } },
      },
    });
    renderApp("/app/orgs/org_loud/team");
    await userEvent.selectOptions(await screen.findByLabelText("Role of Bo"), "editor");
    await waitFor(() => expect(api.callsTo(`PATCH ${BASE}/members/usr_bo`)[0]?.body).toEqual({ role: "editor" }));

    await userEvent.click(screen.getByRole("button", { name: "Remove Bo" }));
    expect(api.callsTo(`DELETE ${BASE}/members/usr_bo`)).toHaveLength(0);
    await userEvent.click(within(screen.getByRole("group", { name: "Remove Bo?" })).getByRole("button", { name: "Yes" }));
    expect(await screen.findByText("Bo was removed.")).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Leave" }));
    await userEvent.click(within(screen.getByRole("group", { name: "Leave Loud Label?" })).getByRole("button", { name: "Yes" }));
    expect((await screen.findByRole("alert")).textContent).toContain("You are the last admin of Loud Label");
    expect(window.location.pathname).toBe("/app/orgs/org_loud/team");
  });

  it("invites by e-mail with a role and revokes a pending invitation", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      [`GET ${BASE}/members`]: { body: MEMBERS },
      [`GET ${BASE}/invitations`]: { body: INVITATIONS },
      [`POST ${BASE}/invitations`]: { status: 201, body: { ...INVITATIONS.data[0], id: "inv_2", email: "di@example.com", role: "viewer" } },
      [`DELETE ${BASE}/invitations/inv_1`]: { status: 204 },
    });
    renderApp("/app/orgs/org_loud/team");
    await userEvent.type(await screen.findByLabelText("E-mail address"), "di@example.com");
    await userEvent.selectOptions(screen.getByLabelText("Role"), "viewer");
    await userEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(await screen.findByText("Invitation sent to di@example.com.")).toBeTruthy();
    const post = api.callsTo(`POST ${BASE}/invitations`)[0]!;
    expect(post.body).toEqual({ email: "di@example.com", role: "viewer" });
    expect(post.headers.get("Idempotency-Key")).toBeTruthy();

    expect(within((await screen.findByText("ed@example.com")).closest("tr")!).queryByText(/invited by/)).toBeNull();
    await userEvent.click(await screen.findByRole("button", { name: "Revoke invitation for cy@example.com" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes" }));
    expect(await screen.findByText("Invitation for cy@example.com revoked.")).toBeTruthy();
  });

  it("shows viewers the members without admin controls", async () => {
    const api = mockApi({ ...signedInRoutes(meFixture("viewer")), [`GET ${BASE}/members`]: { body: MEMBERS } });
    renderApp("/app/orgs/org_loud/team");
    await screen.findByText("bo@example.com");
    expect(screen.getByText("Only admins can invite people or change roles. You can leave the team.")).toBeTruthy();
    expect(screen.queryByLabelText("Role of Bo")).toBeNull();
    expect(screen.queryByRole("button", { name: "Remove Bo" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Send invitation" })).toBeNull();
    expect(api.callsTo(`GET ${BASE}/invitations`)).toHaveLength(0);
  });

  it("on an artist's team, manages direct members and shows organization members as inherited", async () => {
    const ART = "/api/v1/artists/art_pit";
    const api = mockApi({
      ...signedInRoutes({ ...meFixture(), organizations: [], artists: [{ ...meFixture().artists[0]!, organizationId: null }] }),
      [`GET ${ART}/members`]: {
        body: {
          data: [
            { userId: "usr_ana", name: "Ana", email: "ana@example.com", role: "admin", joinedAt: NOW, via: "artist" },
            { userId: "usr_di", name: "Di", email: "di@example.com", role: "viewer", joinedAt: NOW, via: "artist" },
            { userId: "usr_fo", name: "Fo", email: "fo@example.com", role: "editor", joinedAt: NOW, via: "organization" },
          ],
          nextCursor: null,
        },
      },
      [`GET ${ART}/invitations`]: { body: { data: [], nextCursor: null } },
      [`PATCH ${ART}/members/usr_di`]: { body: { userId: "usr_di", name: "Di", email: "di@example.com", role: "editor", joinedAt: NOW, via: "artist" } },
    });
    renderApp("/app/artists/art_pit/team");
    await userEvent.selectOptions(await screen.findByLabelText("Role of Di"), "editor");
    await waitFor(() => expect(api.callsTo(`PATCH ${ART}/members/usr_di`)[0]?.body).toEqual({ role: "editor" }));
    const fo = screen.getByText("fo@example.com").closest("tr")!;
    expect(within(fo).getByText("Through the organization")).toBeTruthy();
    expect(within(fo).queryByRole("combobox")).toBeNull();
    expect(within(fo).queryByRole("button")).toBeNull();
  });

  it("on the team of an artist without organization, lists pending invitations and revokes one", async () => {
    const ART = "/api/v1/artists/art_pit";
    const api = mockApi({
      ...signedInRoutes({ ...meFixture(), organizations: [], artists: [{ ...meFixture().artists[0]!, organizationId: null }] }),
      [`GET ${ART}/members`]: { body: { data: [{ userId: "usr_ana", name: "Ana", email: "ana@example.com", role: "admin", joinedAt: NOW, via: "artist" }], nextCursor: null } },
      [`GET ${ART}/invitations`]: { body: { data: [{ ...INVITATIONS.data[0], organizationId: null, artistId: "art_pit" }], nextCursor: null } },
      [`DELETE ${ART}/invitations/inv_1`]: { status: 204 },
    });
    renderApp("/app/artists/art_pit/team");
    expect(await screen.findByRole("heading", { level: 2, name: "Invitations" })).toBeTruthy();
    await userEvent.click(await screen.findByRole("button", { name: "Revoke invitation for cy@example.com" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes" }));
    expect(await screen.findByText("Invitation for cy@example.com revoked.")).toBeTruthy();
    expect(api.callsTo(`DELETE ${ART}/invitations/inv_1`)).toHaveLength(1);
  });
});
