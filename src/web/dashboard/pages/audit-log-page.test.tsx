import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../lib/types";
import { meFixture, NOW, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const LOG = "GET /api/v1/organizations/org_loud/audit-log";
const entry = (n: number, actor: AuditEntry["actor"]): AuditEntry => ({
  id: `aud_${n}`,
  at: NOW,
  actor,
  sessionId: null,
  action: "smart_link.update",
  resourceType: "smart_link",
  resourceId: "sml_1",
  summary: `Change ${n}`,
  metadata: {},
});

describe("audit log", () => {
  it("shows who did what and loads older entries with the cursor", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      [LOG]: (call) =>
        call.search.get("cursor") === "older"
          ? { body: { data: [entry(3, { kind: "system" })], nextCursor: null } }
          : { body: { data: [entry(1, { kind: "user", userId: "usr_ana", name: "Ana" }), entry(2, { kind: "api_key", apiKeyId: "key_1", apiKeyName: "Release bot" })], nextCursor: "older" } },
    });
    renderApp("/app/orgs/org_loud/audit-log");
    expect(await screen.findByText("Change 1")).toBeTruthy();
    expect(screen.getByText("API key Release bot")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Change 3")).toBeTruthy();
    await waitFor(() => expect(api.callsTo(LOG).at(-1)!.search.get("cursor")).toBe("older"));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("says so when nothing has happened", async () => {
    mockApi({ ...signedInRoutes(), [LOG]: { body: { data: [], nextCursor: null } } });
    renderApp("/app/orgs/org_loud/audit-log");
    expect(await screen.findByText("Nothing has happened yet.")).toBeTruthy();
  });

  it("is closed to non-admins without asking the API", async () => {
    const api = mockApi(signedInRoutes(meFixture("editor")));
    renderApp("/app/orgs/org_loud/audit-log");
    expect(await screen.findByText("Only admins can see the audit log.")).toBeTruthy();
    expect(api.callsTo(LOG)).toHaveLength(0);
  });
});
