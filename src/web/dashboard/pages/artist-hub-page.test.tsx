import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Artist } from "../lib/types";
import { NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const ARTIST: Artist = {
  id: "art_pit",
  name: "Pitbull",
  slug: "pitbull",
  imageUrl: null,
  spotifyArtistId: "0TnOYISbd1XYRBk9myaseg",
  organizationId: "org_loud",
  role: "admin",
  hubTheme: "classic",
  hubDescription: null,
  hubPublished: false,
  publicUrl: "http://localhost/pitbull",
  createdAt: NOW,
  updatedAt: NOW,
  smartLinkCount: 12345,
};

describe("artist hub settings", () => {
  it("saves theme, description and published with expectedUpdatedAt, and explains a 409", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      "GET /api/v1/artists/art_pit": { body: ARTIST },
      "PATCH /api/v1/artists/art_pit": { status: 409, body: { error: { code: "CONFLICT", message: "changed", requestId: "r" } } },
    });
    renderApp("/app/artists/art_pit/hub");
    expect(await screen.findByText(/smart links · last saved/)).toBeTruthy();
    // Formatted for the reader's locale (12,345 in en, 12.345 in de…).
    expect(screen.getByText(new RegExp(`${new Intl.NumberFormat().format(12345)} smart links`))).toBeTruthy();
    await userEvent.click(await screen.findByRole("radio", { name: "Aurora" }));
    await userEvent.type(screen.getByLabelText(/^Description/), "Mr. Worldwide");
    await userEvent.click(screen.getByRole("checkbox", { name: /Published/ }));
    await userEvent.click(screen.getByRole("button", { name: "Save hub settings" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Someone else changed these settings");
    expect(api.callsTo("PATCH /api/v1/artists/art_pit")[0]!.body).toEqual({ hubTheme: "aurora", hubDescription: "Mr. Worldwide", hubPublished: true, expectedUpdatedAt: NOW });

    api.set("GET /api/v1/artists/art_pit", { body: { ...ARTIST, hubDescription: "Theirs", updatedAt: "2026-11-29T10:05:00.000Z" } });
    await userEvent.click(within(alert).getByRole("button", { name: "Reload latest version" }));
    await screen.findByDisplayValue("Theirs");
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
