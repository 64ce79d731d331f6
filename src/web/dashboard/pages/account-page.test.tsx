import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

describe("account", () => {
  it("renames the user", async () => {
    const api = mockApi({ ...signedInRoutes(), "PATCH /api/v1/me": { body: { user: { ...meFixture().user, name: "Ana B." } } } });
    renderApp("/app/account");
    const name = await screen.findByLabelText("Name");
    await userEvent.clear(name);
    await userEvent.type(name, "Ana B.");
    await userEvent.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByText("Name saved.")).toBeTruthy();
    expect(api.callsTo("PATCH /api/v1/me")[0]!.body).toEqual({ name: "Ana B." });
  });

  it("signs out everywhere: revokes every session, then shows sign-in", async () => {
    let signedIn = true;
    const me = meFixture();
    const api = mockApi({
      ...signedInRoutes(),
      "GET /auth/get-session": () => ({ body: signedIn ? { session: { id: "ses_1", expiresAt: NOW }, user: me.user } : null }),
      "GET /auth/providers": { body: { email: true, magicLink: false, google: false, meta: false } },
      "POST /auth/revoke-sessions": () => {
        signedIn = false;
        return { body: { status: true } };
      },
      "POST /auth/sign-out": { status: 401, body: { message: "Unauthorized" } },
    });
    renderApp("/app/account");
    await userEvent.click(await screen.findByRole("button", { name: "Sign out everywhere" }));
    await screen.findByRole("heading", { level: 1, name: "Sign in to Backbeat" });
    await waitFor(() => expect(api.callsTo("POST /auth/revoke-sessions")).toHaveLength(1));
  });
});

describe("an ended session", () => {
  it("shows sign-in when the API answers 401", async () => {
    mockApi({
      ...signedInRoutes(),
      "GET /auth/providers": { body: { email: true, magicLink: false, google: false, meta: false } },
      "PATCH /api/v1/me": { status: 401, body: { error: { code: "UNAUTHORIZED", message: "Sign in first.", requestId: "r" } } },
    });
    renderApp("/app/account");
    await userEvent.click(await screen.findByRole("button", { name: "Save name" }));
    await screen.findByRole("heading", { level: 1, name: "Sign in to Backbeat" });
    expect(window.location.search).toBe(`?next=${encodeURIComponent("/account")}`);
  });
});

const NO_CHOICE = { restrict: false, object: false, recordedAt: null, history: [] };

describe("account: P18 rights", () => {
  it("P18: downloads my data as the JSON file the API names", async () => {
    const exported = JSON.stringify({ format: "backbeat.user-export.v1", profile: { id: "usr_ana" } });
    const api = mockApi({
      ...signedInRoutes(),
      "GET /api/v1/me/processing": { body: NO_CHOICE },
      "GET /api/v1/me/export": { body: exported, headers: { "Content-Type": "application/json", "Content-Disposition": 'attachment; filename="backbeat-my-data-2026-11-29.json"' } },
    });
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return "blob:test";
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    renderApp("/app/account");
    await userEvent.click(await screen.findByRole("button", { name: "Download my data" }));
    await waitFor(() => expect(clicked).toEqual(["backbeat-my-data-2026-11-29.json"]));
    expect(await created[0]!.text()).toBe(exported);
    expect(api.callsTo("GET /api/v1/me/export")).toHaveLength(1);
  });

  it("P18: restrict and object toggles save the choice and show it; untick withdraws", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      "GET /api/v1/me/processing": { body: NO_CHOICE },
      "PUT /api/v1/me/processing": (call) => ({ body: { ...(call.body as object), recordedAt: NOW, history: [] } }),
    });
    renderApp("/app/account");
    const restrict = await screen.findByRole("checkbox", { name: "Restrict processing of my data" });
    expect((restrict as HTMLInputElement).checked).toBe(false);
    await userEvent.click(restrict);
    expect(await screen.findByText("Saved: your activity is kept out of analytics, ads and AI.")).toBeTruthy();
    expect((screen.getByRole("checkbox", { name: "Restrict processing of my data" }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole("checkbox", { name: "Restrict processing of my data" }));
    expect(await screen.findByText("Saved: restriction and objection withdrawn.")).toBeTruthy();
    expect(api.callsTo("PUT /api/v1/me/processing").map((c) => c.body)).toEqual([
      { restrict: true, object: false },
      { restrict: false, object: false },
    ]);
  });

  it("P18: delete needs the typed e-mail; the last-admin refusal is shown; success shows sign-in", async () => {
    let refuse = true;
    let signedIn = true;
    const me = meFixture();
    const api = mockApi({
      ...signedInRoutes(),
      "GET /auth/get-session": () => ({ body: signedIn ? { session: { id: "ses_1", expiresAt: NOW }, user: me.user } : null }),
      "GET /auth/providers": { body: { email: true, magicLink: false, google: false, meta: false } },
      "GET /api/v1/me/processing": { body: NO_CHOICE },
      "DELETE /api/v1/me": () => {
        if (refuse) return { status: 409, body: { error: { code: "CONFLICT", message: "make another member admin first; you are the only admin of organization Loud Label", requestId: "r" } } };
        signedIn = false;
        return { body: { deleted: true, deletedOrganizationIds: [] } };
      },
    });
    renderApp("/app/account");
    const button = await screen.findByRole("button", { name: "Delete my account" });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(screen.getByLabelText("Type ana@example.com to confirm"), "ana@example.org");
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await userEvent.clear(screen.getByLabelText("Type ana@example.com to confirm"));
    await userEvent.type(screen.getByLabelText("Type ana@example.com to confirm"), "ana@example.com");
    await userEvent.click(button);
    expect(await screen.findByText(/only admin of organization Loud Label/)).toBeTruthy();
    refuse = false;
    await userEvent.click(screen.getByRole("button", { name: "Delete my account" }));
    await screen.findByRole("heading", { level: 1, name: "Sign in to Backbeat" });
    expect(api.callsTo("DELETE /api/v1/me").map((c) => c.body)).toEqual([{ confirmEmail: "ana@example.com" }, { confirmEmail: "ana@example.com" }]);
  });
});
