import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const KEYS = "/api/v1/organizations/org_loud/api-keys";
const KEY = { id: "key_1", name: "Release bot", prefix: "bb_live_ab12", scopes: ["read", "smart_links.write"], createdAt: NOW, createdBy: { userId: "usr_ana", name: "Ana" }, lastUsedAt: null, revokedAt: null };

describe("API keys", () => {
  it("creates a key with scopes and shows its secret once", async () => {
    let keys: unknown[] = [];
    const api = mockApi({
      ...signedInRoutes(),
      [`GET ${KEYS}`]: () => ({ body: { data: keys, nextCursor: null } }),
      [`POST ${KEYS}`]: () => {
        keys = [KEY];
        return { status: 201, body: { apiKey: KEY, secret: "bb_live_ab12_SECRET" } };
      },
    });
    renderApp("/app/orgs/org_loud/api-keys");
    expect(await screen.findByText("No API keys yet.")).toBeTruthy();
    await userEvent.type(screen.getByLabelText(/^Name/), "Release bot");
    await userEvent.click(screen.getByRole("checkbox", { name: /smart_links\.write/ }));
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    const secret = await screen.findByTestId("new-secret");
    expect(secret.textContent).toContain("bb_live_ab12_SECRET");
    expect(secret.textContent).toContain("only time it is shown");
    expect(api.callsTo(`POST ${KEYS}`)[0]!.body).toEqual({ name: "Release bot", scopes: ["read", "smart_links.write"] });
    expect(await screen.findByText("Never")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "I've saved it" }));
    expect(screen.queryByText("bb_live_ab12_SECRET")).toBeNull();
  });

  it("revokes a key after confirming", async () => {
    const api = mockApi({ ...signedInRoutes(), [`GET ${KEYS}`]: { body: { data: [KEY], nextCursor: null } }, [`DELETE ${KEYS}/key_1`]: { status: 204 } });
    renderApp("/app/orgs/org_loud/api-keys");
    await userEvent.click(await screen.findByRole("button", { name: "Revoke key Release bot" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes" }));
    await waitFor(() => expect(api.callsTo(`DELETE ${KEYS}/key_1`)).toHaveLength(1));
  });

  it("is for admins only", async () => {
    const api = mockApi(signedInRoutes(meFixture("editor")));
    renderApp("/app/orgs/org_loud/api-keys");
    expect(await screen.findByText("Only admins of this organization can see and manage its API keys.")).toBeTruthy();
    expect(api.callsTo(`GET ${KEYS}`)).toHaveLength(0);
  });
});
