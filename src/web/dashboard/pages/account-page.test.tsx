import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
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
