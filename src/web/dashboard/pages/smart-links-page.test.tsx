import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { linkFixture, meFixture, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const LIST = "GET /api/v1/artists/art_pit/smart-links";

describe("smart links list", () => {
  it("lists the artist's links with status and loads the next page with the cursor", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      [LIST]: (call) =>
        call.search.get("cursor") === "c2"
          ? { body: { data: [linkFixture(3)], nextCursor: null } }
          : { body: { data: [linkFixture(1, { published: true }), linkFixture(2)], nextCursor: "c2" } },
    });
    renderApp("/app/artists/art_pit");
    const items = await screen.findAllByTestId("smart-link");
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByText("Published")).toBeTruthy();
    expect(within(items[1]!).getByText("Draft")).toBeTruthy();
    expect(within(items[0]!).getByRole("link", { name: "Song 1" }).getAttribute("href")).toBe("/app/artists/art_pit/links/sml_1");
    expect(api.callsTo(LIST)[0]!.search.get("limit")).toBe("25");

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("smart-link")).toHaveLength(3));
    expect(api.callsTo(LIST).at(-1)!.search.get("cursor")).toBe("c2");
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("an upcoming release says when it comes out, not that it was released", async () => {
    mockApi({ ...signedInRoutes(), [LIST]: { body: { data: [linkFixture(1, { releaseDate: "2099-01-15" }), linkFixture(2)], nextCursor: null } } });
    renderApp("/app/artists/art_pit");
    const items = await screen.findAllByTestId("smart-link");
    expect(items[0]!.textContent).toMatch(/· out .*2099 ·/);
    expect(items[0]!.textContent).not.toContain("released");
    expect(items[1]!.textContent).toMatch(/· released .*2013 ·/);
  });

  it("searches and filters through the query string", async () => {
    const api = mockApi({ ...signedInRoutes(), [LIST]: { body: { data: [], nextCursor: null } } });
    renderApp("/app/artists/art_pit");
    await screen.findByText("No smart links yet.");
    await userEvent.type(screen.getByLabelText("Search by title"), "timber");
    await userEvent.selectOptions(screen.getByLabelText("Status"), "true");
    await waitFor(() => {
      const last = api.callsTo(LIST).at(-1)!;
      expect(last.search.get("q")).toBe("timber");
      expect(last.search.get("published")).toBe("true");
    });
    expect(await screen.findByText("No smart links match.")).toBeTruthy();
  });

  it("shows the API's error with a retry", async () => {
    let fail = true;
    mockApi({
      ...signedInRoutes(),
      [LIST]: () => (fail ? { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong on our side.", requestId: "req_42" } } } : { body: { data: [linkFixture(1)], nextCursor: null } }),
    });
    renderApp("/app/artists/art_pit");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Something went wrong on our side.");
    expect(alert.textContent).toContain("req_42");
    fail = false;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("smart-link")).toHaveLength(1);
  });

  it("creates a link from a Spotify URL with an idempotency key and opens the existing one on 200", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      [LIST]: { body: { data: [], nextCursor: null } },
      "POST /api/v1/artists/art_pit/smart-links": { status: 200, body: linkFixture(7), headers: { "Backbeat-Result": "existing" } },
      "GET /api/v1/smart-links/sml_7": { body: linkFixture(7) },
      "POST /api/v1/smart-links/sml_7/preview": { body: "<!doctype html><title>p</title>" },
    });
    renderApp("/app/artists/art_pit");
    await userEvent.type(await screen.findByLabelText(/New smart link from a Spotify release link/), "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy");
    await userEvent.click(screen.getByRole("button", { name: "Create smart link" }));
    expect(await screen.findByText("This release already had a smart link, so here it is.")).toBeTruthy();
    const post = api.callsTo("POST /api/v1/artists/art_pit/smart-links")[0]!;
    expect(post.body).toEqual({ spotifyUrl: "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy" });
    expect(post.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(window.location.pathname).toBe("/app/artists/art_pit/links/sml_7");
  });

  it("shows a validation error from the API on the URL field", async () => {
    mockApi({
      ...signedInRoutes(),
      [LIST]: { body: { data: [], nextCursor: null } },
      "POST /api/v1/artists/art_pit/smart-links": {
        status: 400,
        body: { error: { code: "BAD_REQUEST", message: "spotifyUrl: not a Spotify release link", requestId: "r", details: [{ field: "spotifyUrl", message: "not a Spotify release link" }] } },
      },
    });
    renderApp("/app/artists/art_pit");
    const input = await screen.findByLabelText(/New smart link from a Spotify release link/);
    await userEvent.type(input, "https://example.com/x");
    await userEvent.click(screen.getByRole("button", { name: "Create smart link" }));
    expect(await screen.findByText("not a Spotify release link")).toBeTruthy();
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });

  it("hides creation from viewers and says why", async () => {
    mockApi({ ...signedInRoutes(meFixture("viewer")), [LIST]: { body: { data: [linkFixture(1)], nextCursor: null } } });
    renderApp("/app/artists/art_pit");
    expect(await screen.findByTestId("viewer-note")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Create smart link" })).toBeNull();
    expect(await screen.findAllByTestId("smart-link")).toHaveLength(1);
  });

  it("copies the public URL and confirms it", async () => {
    mockApi({ ...signedInRoutes(), [LIST]: { body: { data: [linkFixture(1)], nextCursor: null } } });
    const user = userEvent.setup();
    renderApp("/app/artists/art_pit");
    const card = (await screen.findAllByTestId("smart-link"))[0]!;
    await user.click(within(card).getByRole("button", { name: "Copy link" }));
    expect(await within(card).findByText("Copied to the clipboard")).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe("http://localhost/pitbull/song-1");
    await user.click(within(card).getByRole("button", { name: "QR code" }));
    expect(within(card).getByRole("img", { name: "QR code for http://localhost/pitbull/song-1" })).toBeTruthy();
    expect(within(card).getByRole("button", { name: "Download SVG" })).toBeTruthy();
  });

  it("hides the import banner once imported links are listed", async () => {
    mockApi({ ...signedInRoutes(meFixture()), "GET /api/v1/artists/art_pit/smart-links": { body: { data: [linkFixture(1)], nextCursor: null } } });
    renderApp("/app/artists/art_pit?welcome=1");
    await screen.findByRole("link", { name: "Song 1" });
    expect(screen.queryByText(/Their catalog is being imported/)).toBeNull();
  });
});
