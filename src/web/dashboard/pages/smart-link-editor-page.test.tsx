import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { SmartLink } from "../lib/types";
import { linkFixture, meFixture, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const GET = "GET /api/v1/smart-links/sml_1";
const PATCH = "PATCH /api/v1/smart-links/sml_1";
const PREVIEW = "POST /api/v1/smart-links/sml_1/preview";
const PATH = "/app/artists/art_pit/links/sml_1";

function routes(link: SmartLink = linkFixture(1), me = meFixture()) {
  return { ...signedInRoutes(me), [GET]: { body: link }, [PREVIEW]: { body: "<!doctype html><title>preview</title><h1>Song 1</h1>" } };
}

describe("smart link editor", () => {
  it("reorders services with buttons and saves with expectedUpdatedAt", async () => {
    const api = mockApi({ ...routes(), [PATCH]: (call) => ({ body: { ...linkFixture(1), ...(call.body as object), updatedAt: "2026-11-29T11:00:00.000Z" } }) });
    renderApp(PATH);
    await screen.findByRole("heading", { level: 1, name: "Song 1" });
    await userEvent.click(await screen.findByRole("button", { name: "Move Spotify down" }));
    expect(screen.getByText("Spotify moved to position 2 of 2.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Hide Apple Music" }));
    await userEvent.click(screen.getByRole("radio", { name: "Aurora" }));
    await userEvent.type(screen.getByLabelText("Meta Pixel ID"), " 1234567890 ");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Changes saved.")).toBeTruthy();
    const body = api.callsTo(PATCH)[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      services: [
        { service: "apple_music", url: "https://music.apple.com/us/album/1", hidden: true },
        { service: "spotify", url: "https://open.spotify.com/track/1", hidden: false },
      ],
      theme: "aurora",
      pixels: { meta: "1234567890" },
      expectedUpdatedAt: "2026-11-29T10:00:00.000Z",
    });
    expect(body).not.toHaveProperty("published");
  });

  it("explains a 409 and reloads the other person's version", async () => {
    const api = mockApi({
      ...routes(),
      [PATCH]: { status: 409, body: { error: { code: "CONFLICT", message: "smart link changed since expectedUpdatedAt", requestId: "r" } } },
    });
    renderApp(PATH);
    await screen.findByRole("heading", { level: 1, name: "Song 1" });
    await userEvent.type(screen.getByLabelText("Description (optional)"), "New words");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    const conflict = await screen.findByTestId("conflict");
    expect(conflict.textContent).toContain("Someone else changed this smart link");
    api.set(GET, { body: linkFixture(1, { title: "Song 1 (edited elsewhere)", description: "Their words", updatedAt: "2026-11-29T10:30:00.000Z" }) });
    await userEvent.click(within(conflict).getByRole("button", { name: "Reload latest version" }));
    await screen.findByRole("heading", { level: 1, name: "Song 1 (edited elsewhere)" });
    expect((screen.getByLabelText("Description (optional)") as HTMLTextAreaElement).value).toBe("Their words");
    expect(screen.queryByTestId("conflict")).toBeNull();
  });

  it("shows the API's validation error on the service's URL field", async () => {
    mockApi({
      ...routes(),
      [PATCH]: {
        status: 400,
        body: {
          error: { code: "BAD_REQUEST", message: "services.1.url: not an Apple Music link", requestId: "r", details: [{ field: "services.1.url", message: "not an Apple Music link" }] },
        },
      },
    });
    renderApp(PATH);
    const url = await screen.findByLabelText("Apple Music link");
    await screen.findByLabelText("Service");
    await userEvent.clear(url);
    await userEvent.type(url, "https://example.com/x");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("not an Apple Music link")).toBeTruthy();
    expect(url.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Spotify link").getAttribute("aria-invalid")).toBeNull();
    // The save bar points at the field instead of repeating the API's raw field path.
    expect(screen.getByRole("alert").textContent).toBe("Not saved. Fix the field marked in red, then save again.");
  });

  it("checks an added service URL before adding it", async () => {
    mockApi(routes());
    renderApp(PATH);
    await screen.findByRole("heading", { level: 1, name: "Song 1" });
    await userEvent.selectOptions(await screen.findByLabelText("Service"), "deezer");
    const url = screen.getByLabelText("Link to the release on that service");
    await userEvent.type(url, "https://open.spotify.com/album/1");
    await userEvent.click(screen.getByRole("button", { name: "Add service" }));
    expect(screen.getByText("That is not a Deezer link (expected deezer.com).")).toBeTruthy();
    await userEvent.clear(url);
    await userEvent.type(url, "https://www.deezer.com/album/1");
    await userEvent.click(screen.getByRole("button", { name: "Add service" }));
    expect(screen.getAllByTestId("service-row")).toHaveLength(3);
    expect((screen.getByLabelText("Deezer link") as HTMLInputElement).value).toBe("https://www.deezer.com/album/1");
  });

  it("publishes with the pending changes in one request", async () => {
    const api = mockApi({ ...routes(), [PATCH]: (call) => ({ body: { ...linkFixture(1), ...(call.body as object), updatedAt: "2026-11-29T11:00:00.000Z" } }) });
    renderApp(PATH);
    await screen.findByRole("heading", { level: 1, name: "Song 1" });
    await userEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect(await screen.findByText("Published: fans can open this link now.")).toBeTruthy();
    expect(api.callsTo(PATCH)[0]!.body).toMatchObject({ published: true, expectedUpdatedAt: "2026-11-29T10:00:00.000Z" });
    expect(screen.getByRole("button", { name: "Unpublish" })).toBeTruthy();
  });

  it("renders the live preview from the preview endpoint in a sandboxed iframe", async () => {
    const api = mockApi(routes());
    renderApp(PATH);
    const frame = (await screen.findByTitle("Preview of Song 1")) as HTMLIFrameElement;
    expect(frame.getAttribute("srcdoc")).toContain("<h1>Song 1</h1>");
    expect(frame.getAttribute("sandbox")).toBe("allow-same-origin");
    expect(api.callsTo(PREVIEW)[0]!.body).toEqual({ services: linkFixture(1).services, theme: "classic", description: "" });
    await userEvent.click(screen.getByRole("radio", { name: "Aurora" }));
    await waitFor(() => expect((api.callsTo(PREVIEW).at(-1)!.body as { theme: string }).theme).toBe("aurora"));
  });

  it("disables editing for viewers and says why", async () => {
    const api = mockApi(routes(linkFixture(1), meFixture("viewer")));
    renderApp(PATH);
    expect(await screen.findByTestId("viewer-note")).toBeTruthy();
    // Disabled through the surrounding <fieldset disabled> (happy-dom does not compute
    // the inherited :disabled state that browsers do, so check the fieldset).
    const disabledBy = (el: HTMLElement) => el.closest("fieldset:disabled, fieldset[disabled]");
    expect(disabledBy(await screen.findByRole("button", { name: "Move Spotify down" }))).not.toBeNull();
    expect(disabledBy(screen.getByLabelText("Meta Pixel ID"))).not.toBeNull();
    expect(screen.queryByRole("button", { name: "Save changes" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Publish" })).toBeNull();
    expect(api.callsTo(PATCH)).toHaveLength(0);
  });
});
