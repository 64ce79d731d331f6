import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Me } from "../lib/types";
import { signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const ME: Me = {
  user: { id: "usr_ana", name: "Ana", email: "ana@example.com", image: null },
  organizations: [{ id: "org_loud", name: "Loud Label", role: "admin" }],
  artists: [
    { id: "art_a", name: "Artist A", slug: "a", imageUrl: null, organizationId: "org_loud", role: "admin" },
    { id: "art_b", name: "Artist B", slug: "b", imageUrl: null, organizationId: "org_loud", role: "admin" },
    { id: "art_own", name: "My Own", slug: "own", imageUrl: null, organizationId: null, role: "admin" },
  ],
};
const EMPTY = { body: { data: [], nextCursor: null } };

describe("shell", () => {
  it("switches artist and organization, marks the current page, and remembers the last artist", async () => {
    mockApi({
      ...signedInRoutes(ME),
      "GET /api/v1/artists/art_a/smart-links": EMPTY,
      "GET /api/v1/artists/art_b/smart-links": EMPTY,
      "GET /api/v1/artists/art_own/smart-links": EMPTY,
    });
    renderApp("/app");
    await waitFor(() => expect(window.location.pathname).toBe("/app/artists/art_a"));
    const nav = screen.getByRole("navigation", { name: "Dashboard" });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe("Smart links");
    expect(screen.getByRole("link", { name: "API keys" }).getAttribute("href")).toBe("/app/orgs/org_loud/api-keys");

    await userEvent.selectOptions(screen.getByLabelText("Artist"), "art_b");
    await waitFor(() => expect(window.location.pathname).toBe("/app/artists/art_b"));
    expect(localStorage.getItem("backbeat.lastArtistId")).toBe("art_b");

    await userEvent.selectOptions(screen.getByLabelText("Organization"), "personal");
    await waitFor(() => expect(window.location.pathname).toBe("/app/artists/art_own"));
    // An artist without an organization has its own team page and no API keys.
    expect(screen.getByRole("link", { name: "Team" }).getAttribute("href")).toBe("/app/artists/art_own/team");
    expect(screen.queryByRole("link", { name: "API keys" })).toBeNull();
  });

  it("says so for an artist the user cannot see", async () => {
    mockApi(signedInRoutes(ME));
    renderApp("/app/artists/art_elsewhere");
    expect(await screen.findByRole("heading", { level: 1, name: "Artist not found" })).toBeTruthy();
  });

  it("keeps the artist tabs on an organization's pages, for the artist last opened there", async () => {
    localStorage.setItem("backbeat.lastArtistId", "art_b");
    mockApi({ ...signedInRoutes(ME), "GET /api/v1/organizations/org_loud/members": EMPTY, "GET /api/v1/organizations/org_loud/invitations": EMPTY });
    renderApp("/app/orgs/org_loud/team");
    await screen.findByRole("heading", { level: 1, name: "Team" });
    expect(screen.getByRole("link", { name: "Smart links" }).getAttribute("href")).toBe("/app/artists/art_b");
    expect(screen.getByRole("link", { name: "Artist hub" }).getAttribute("href")).toBe("/app/artists/art_b/hub");
    expect((screen.getByLabelText("Artist") as HTMLSelectElement).value).toBe("art_b");
  });

  it("keeps the tabs of the artist last opened on the account page", async () => {
    localStorage.setItem("backbeat.lastArtistId", "art_own");
    mockApi(signedInRoutes(ME));
    renderApp("/app/account");
    await screen.findByRole("heading", { level: 1, name: "Account" });
    expect(screen.getByRole("link", { name: "Smart links" }).getAttribute("href")).toBe("/app/artists/art_own");
    expect(screen.getByRole("link", { name: "Team" }).getAttribute("href")).toBe("/app/artists/art_own/team");
    expect(screen.queryByRole("link", { name: "API keys" })).toBeNull();
  });
});

