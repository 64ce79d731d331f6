import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meFixture, NOW } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

const PROVIDERS = { email: true, magicLink: true, google: true, meta: false };

describe("sign in", () => {
  it("sends a signed-out visitor to sign-in and back to the page they asked for", async () => {
    const me = meFixture();
    let signedIn = false;
    const api = mockApi({
      "GET /auth/get-session": () => ({ body: signedIn ? { session: { id: "ses_1", expiresAt: NOW }, user: me.user } : null }),
      "GET /auth/providers": { body: PROVIDERS },
      "POST /auth/sign-in/email": () => {
        signedIn = true;
        return { body: { redirect: false, token: "t", user: me.user } };
      },
      "GET /api/v1/me": { body: me },
      "GET /api/v1/organizations/org_loud/members": { body: { data: [], nextCursor: null } },
      "GET /api/v1/organizations/org_loud/invitations": { body: { data: [], nextCursor: null } },
    });
    renderApp("/app/orgs/org_loud/team");
    await screen.findByRole("heading", { level: 1, name: "Sign in to Backbeat" });
    expect(window.location.pathname + window.location.search).toBe(`/app/sign-in?next=${encodeURIComponent("/orgs/org_loud/team")}`);
    expect(await screen.findByRole("button", { name: "Continue with Google" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Continue with Meta" })).toBeNull();

    await userEvent.type(screen.getByLabelText("E-mail"), "ana@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "correct horse");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await screen.findByRole("heading", { level: 1, name: "Team" });
    expect(window.location.pathname).toBe("/app/orgs/org_loud/team");
    expect(api.callsTo("POST /auth/sign-in/email")[0]!.body).toEqual({ email: "ana@example.com", password: "correct horse" });
  });

  it("shows Better Auth's message when the password is wrong", async () => {
    mockApi({
      "GET /auth/get-session": { body: null },
      "GET /auth/providers": { body: PROVIDERS },
      "POST /auth/sign-in/email": { status: 401, body: { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" } },
    });
    renderApp("/app/sign-in");
    await userEvent.type(await screen.findByLabelText("E-mail"), "ana@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Invalid email or password");
  });

  it("signs up with name, e-mail and password", async () => {
    const api = mockApi({
      "GET /auth/get-session": { body: null },
      "GET /auth/providers": { body: PROVIDERS },
      "POST /auth/sign-up/email": { body: { token: "t", user: meFixture().user } },
    });
    renderApp("/app/sign-in");
    await userEvent.click(await screen.findByRole("link", { name: "Create an account" }));
    await userEvent.type(await screen.findByLabelText("Your name"), "Ana");
    await userEvent.type(screen.getByLabelText("E-mail"), "ana@example.com");
    await userEvent.type(screen.getByLabelText(/^Password/), "long enough pw");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(api.callsTo("POST /auth/sign-up/email")).toHaveLength(1));
    expect(api.callsTo("POST /auth/sign-up/email")[0]!.body).toEqual({ name: "Ana", email: "ana@example.com", password: "long enough pw" });
  });

  it("sends a magic link that returns to the dashboard", async () => {
    const api = mockApi({
      "GET /auth/get-session": { body: null },
      "GET /auth/providers": { body: PROVIDERS },
      "POST /auth/sign-in/magic-link": { body: { status: true } },
    });
    renderApp("/app/sign-in");
    await userEvent.type(await screen.findByLabelText("E-mail for the link"), "ana@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Send me a sign-in link" }));
    expect((await screen.findByText(/Check your inbox/)).textContent).toContain("ana@example.com");
    expect(api.callsTo("POST /auth/sign-in/magic-link")[0]!.body).toEqual({ email: "ana@example.com", callbackURL: "/app", errorCallbackURL: "/app/sign-in" });
  });

  it("starts Meta sign-in through the genericOAuth endpoint", async () => {
    const api = mockApi({
      "GET /auth/get-session": { body: null },
      "GET /auth/providers": { body: { ...PROVIDERS, meta: true } },
      "POST /auth/sign-in/oauth2": { body: { url: "/app/sign-in?oauth=started", redirect: true } },
    });
    renderApp("/app/sign-in");
    await userEvent.click(await screen.findByRole("button", { name: "Continue with Meta" }));
    await waitFor(() => expect(api.callsTo("POST /auth/sign-in/oauth2")).toHaveLength(1));
    expect(api.callsTo("POST /auth/sign-in/oauth2")[0]!.body).toEqual({ providerId: "meta", callbackURL: "/app", errorCallbackURL: "/app/sign-in?provider=meta" });
  });

  it("a wrong password offers a magic link instead (a magic link may have removed the password)", async () => {
    const api = mockApi({
      "GET /auth/get-session": { body: null },
      "GET /auth/providers": { body: PROVIDERS },
      "POST /auth/sign-in/email": { status: 401, body: { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" } },
      "POST /auth/sign-in/magic-link": { body: { status: true } },
    });
    renderApp("/app/sign-in");
    await userEvent.type(await screen.findByLabelText("E-mail"), "ana@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await userEvent.click(await screen.findByRole("button", { name: "Sign in with a magic link instead" }));
    expect((await screen.findByRole("status")).textContent).toContain("we sent a sign-in link to ana@example.com");
    expect(api.callsTo("POST /auth/sign-in/magic-link")[0]!.body).toEqual({ email: "ana@example.com", callbackURL: "/app", errorCallbackURL: "/app/sign-in" });
  });

  it.each([
    ["?error=access_denied&provider=google", "Google sign-in was cancelled"],
    ["?error=INVALID_TOKEN", "This sign-in link has expired or was already used — request a new one"],
    ["?error=state_mismatch", "Sign-in did not work (state_mismatch)"],
  ])("explains a failed sign-in redirect (%s)", async (search, message) => {
    mockApi({ "GET /auth/get-session": { body: null }, "GET /auth/providers": { body: PROVIDERS } });
    renderApp(`/app/sign-in${search}`);
    expect((await screen.findByRole("alert")).textContent).toContain(message);
  });

  it("from an invitation link, sign-up pre-fills and locks the invited e-mail", async () => {
    mockApi({ "GET /auth/get-session": { body: null }, "GET /auth/providers": { body: PROVIDERS } });
    renderApp(`/app/sign-up?next=${encodeURIComponent("/invitations/tok_1?email=cy@example.com")}`);
    const input = (await screen.findByLabelText("E-mail")) as HTMLInputElement;
    expect([input.value, input.readOnly]).toEqual(["cy@example.com", true]);
    expect(screen.getByText(/This invitation was sent to this address/)).toBeTruthy();
  });
});
