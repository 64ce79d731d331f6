import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Me } from "../lib/types";
import { NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const NEWBIE: Me = { user: { id: "usr_new", name: "Nia", email: "nia@example.com", image: null }, organizations: [], artists: [] };
const ARTIST_URL = "https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg";

describe("onboarding", () => {
  it("sends a user without artists to onboarding, creates an organization then the artist in it", async () => {
    let me = NEWBIE;
    const api = mockApi({
      ...signedInRoutes(NEWBIE),
      "GET /api/v1/me": () => ({ body: me }),
      "POST /api/v1/organizations": { status: 201, body: { id: "org_new", name: "Nia Records", role: "admin", createdAt: NOW } },
      "POST /api/v1/artists": () => {
        me = { ...NEWBIE, organizations: [{ id: "org_new", name: "Nia Records", role: "admin" }], artists: [{ id: "art_new", name: "Pitbull", slug: "pitbull", imageUrl: null, organizationId: "org_new", role: "admin" }] };
        return { status: 201, body: { id: "art_new", name: "Pitbull" } };
      },
      "GET /api/v1/artists/art_new/smart-links": { body: { data: [], nextCursor: null } },
    });
    renderApp("/app");
    await screen.findByRole("heading", { level: 1, name: "Welcome to Backbeat" });
    expect(screen.getByText(/imports their catalog/)).toBeTruthy();
    await userEvent.click(screen.getByRole("radio", { name: /A new organization/ }));
    await userEvent.type(screen.getByLabelText(/^Organization name/), "Nia Records");
    await userEvent.type(screen.getByLabelText(/^Spotify artist link/), ARTIST_URL);
    await userEvent.click(screen.getByRole("button", { name: "Add artist and import catalog" }));
    expect(await screen.findByText(/Their catalog is being imported/)).toBeTruthy();
    expect(window.location.pathname).toBe("/app/artists/art_new");
    // Shown once: the query is dropped, so a reload does not bring the banner back.
    await waitFor(() => expect(window.location.search).toBe(""));
    expect(screen.getByText(/Their catalog is being imported/)).toBeTruthy();
    expect(api.callsTo("POST /api/v1/organizations")[0]!.body).toEqual({ name: "Nia Records" });
    expect(api.callsTo("POST /api/v1/artists")[0]!.body).toEqual({ spotifyUrl: ARTIST_URL, organizationId: "org_new" });
  });

  it("refuses a non-artist link before calling the API and explains an artist already on Backbeat", async () => {
    const api = mockApi({
      ...signedInRoutes(NEWBIE),
      "POST /api/v1/artists": { status: 409, body: { error: { code: "CONFLICT", message: "artist already exists", requestId: "r" } } },
    });
    renderApp("/app/onboarding");
    const input = await screen.findByLabelText(/^Spotify artist link/);
    await userEvent.type(input, "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy");
    await userEvent.click(screen.getByRole("button", { name: "Add artist and import catalog" }));
    expect(screen.getByText(/Paste the artist's Spotify link/)).toBeTruthy();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(api.callsTo("POST /api/v1/artists")).toHaveLength(0);

    await userEvent.clear(input);
    await userEvent.type(input, ARTIST_URL);
    await userEvent.click(screen.getByRole("button", { name: "Add artist and import catalog" }));
    expect((await screen.findByRole("alert")).textContent).toContain("already on Backbeat");
    await waitFor(() => expect(api.callsTo("POST /api/v1/artists")[0]!.body).toEqual({ spotifyUrl: ARTIST_URL }));
  });
});
