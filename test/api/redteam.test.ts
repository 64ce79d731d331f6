import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { idempotencyKeys, organizations } from "../../src/db/schema/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { asKey, DAFT_PUNK, DISCOVERY, invitationToken, newUser } from "./api-harness";

/* Red-team findings on /api/v1: each test failed before its fix. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function orgOf(name: string) {
  const admin = await newUser(t, name);
  const org = (await admin.call("POST", "/organizations", { name: `${name} Records` })).body as { id: string };
  return { admin, orgId: org.id };
}

describe("red team: API key secrets (P02, P05)", () => {
  it("P02: an API key secret is never stored by Idempotency-Key and a replay never shows it again", async () => {
    const { admin, orgId } = await orgOf("Alice");
    const first = await admin.call("POST", `/organizations/${orgId}/api-keys`, { name: "robot", scopes: ["read"] }, { "idempotency-key": "key-1" });
    expect(first.status).toBe(201);
    const secret = first.body.secret as string;
    expect(secret).toMatch(/^bb_/);
    const stored = await t.runtime.database.db.select().from(idempotencyKeys);
    expect(stored.map((s) => s.responseBody ?? "").join("\n")).not.toContain(secret);
    const replay = await admin.call("POST", `/organizations/${orgId}/api-keys`, { name: "robot", scopes: ["read"] }, { "idempotency-key": "key-1" });
    expect([replay.status, replay.body.error?.code]).toEqual([409, "CONFLICT"]);
    expect(JSON.stringify(replay.body)).not.toContain(secret);
    expect(replay.body.error?.message).toContain((first.body.apiKey as { id: string }).id);
    // Still exactly one key: the retry created nothing.
    expect(((await admin.call("GET", `/organizations/${orgId}/api-keys`)).body.data as unknown[]).length).toBe(1);
  });
});

describe("red team: what an API key may grant (P05)", () => {
  it("P05: a members.write key cannot invite an admin, promote to admin, or demote/remove an admin", async () => {
    const { admin, orgId } = await orgOf("Alice");
    const other = await newUser(t, "Olga");
    await admin.call("POST", `/organizations/${orgId}/invitations`, { email: other.user.email, role: "editor" });
    expect((await other.call("POST", `/invitations/${invitationToken(t, other.user.email)}/accept`)).status).toBe(200);
    const created = await admin.call("POST", `/organizations/${orgId}/api-keys`, { name: "hr-bot", scopes: ["read", "members.write"] });
    const key = asKey(t, created.body.secret as string);

    const invite = await key.call("POST", `/organizations/${orgId}/invitations`, { email: "mallory@example.com", role: "admin" });
    expect([invite.status, invite.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const promote = await key.call("PATCH", `/organizations/${orgId}/members/${other.user.userId}`, { role: "admin" });
    expect([promote.status, promote.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    // Make Olga admin as a person, then the key may neither demote nor remove her.
    expect((await admin.call("PATCH", `/organizations/${orgId}/members/${other.user.userId}`, { role: "admin" })).status).toBe(200);
    const demote = await key.call("PATCH", `/organizations/${orgId}/members/${other.user.userId}`, { role: "viewer" });
    expect([demote.status, demote.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const remove = await key.call("DELETE", `/organizations/${orgId}/members/${other.user.userId}`);
    expect([remove.status, remove.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const members = (await admin.call("GET", `/organizations/${orgId}/members`)).body.data as { userId: string; role: string }[];
    expect(members.find((m) => m.userId === other.user.userId)?.role).toBe("admin");
    expect(((await admin.call("GET", `/organizations/${orgId}/invitations`)).body.data as { email: string }[]).map((i) => i.email)).not.toContain("mallory@example.com");

    // What the scope is for still works: editors and viewers.
    expect((await key.call("POST", `/organizations/${orgId}/invitations`, { email: "ed@example.com", role: "editor" })).status).toBe(201);
  });
});

describe("red team: bad input is a 400 naming the field, never a 500", () => {
  it("a NUL character in a body, query, path or cursor, or a lone surrogate in a body, is a 400 and changes nothing", async () => {
    const { admin, orgId } = await orgOf("Nora");
    const artist = await admin.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: orgId });
    const link = await admin.call("POST", `/artists/${artist.body.id}/smart-links`, { spotifyUrl: DISCOVERY });
    const cases: [string, string, unknown, string][] = [
      ["POST", "/organizations", { name: "a\u0000b" }, "name"],
      ["PATCH", "/me", { name: "x\u0000" }, "name"],
      ["PATCH", `/organizations/${orgId}`, { name: "lone \ud800 surrogate" }, "name"],
      ["PATCH", `/artists/${artist.body.id}`, { hubDescription: "\udfff" }, "hubDescription"],
      ["PATCH", `/smart-links/${link.body.id}`, { description: "x\u0000y" }, "description"],
      ["PATCH", `/smart-links/${link.body.id}`, { services: [{ service: "apple_music", url: "https://music.apple.com/\u0000" }] }, "services.0.url"],
      ["GET", `/artists?q=${encodeURIComponent("a\u0000")}`, undefined, "q"],
      ["GET", `/artists/${artist.body.id}/smart-links?q=${encodeURIComponent("\u0000")}`, undefined, "q"],
      ["GET", `/artists/${encodeURIComponent("art_\u0000")}`, undefined, "path"],
      ["GET", `/organizations?cursor=${Buffer.from(JSON.stringify(["2026-01-01T00:00:00.000Z", "org_\u0000"])).toString("base64url")}`, undefined, "cursor"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await admin.call(method, path, body);
      expect([path, r.status, r.body.error?.code, r.body.error?.details?.[0]?.field]).toEqual([path, 400, "BAD_REQUEST", field]);
    }
    expect(await t.runtime.database.db.select().from(organizations)).toHaveLength(1);
  });

  it("a cursor whose time Postgres cannot hold is a 400 on `cursor`", async () => {
    const { admin } = await orgOf("Cyd");
    for (const at of ["-271821-04-20T00:00:00.000Z", "+275760-09-13T00:00:00.000Z"]) {
      const cursor = Buffer.from(JSON.stringify([at, "org_01m8kjt9g0dde0xhfrvgx1e4mc"])).toString("base64url");
      const r = await admin.call("GET", `/organizations?cursor=${cursor}`);
      expect([r.status, r.body.error?.details?.[0]?.field]).toEqual([400, "cursor"]);
    }
  });

  it("a write that is not JSON (text/plain, form) is a 400 on `body`, not a 500", async () => {
    const { admin } = await orgOf("Tex");
    for (const [type, body] of [["text/plain", JSON.stringify({ name: "TP" })], ["application/x-www-form-urlencoded", "name=F"]] as const) {
      const r = await admin.user.fetch("/api/v1/organizations", { method: "POST", headers: { "content-type": type }, body });
      const json = (await r.json()) as { error?: { code: string; details?: { field: string }[] } };
      expect([type, r.status, json.error?.code, json.error?.details?.[0]?.field]).toEqual([type, 400, "BAD_REQUEST", "body"]);
    }
    expect(await t.runtime.database.db.select().from(organizations)).toHaveLength(1);
  });
});

describe("red team: request size", () => {
  it("a body over 1 MB is refused before it is read: /api/v1 → 400 on `body`, /auth → 413; nothing is created", async () => {
    const { admin } = await orgOf("Max");
    const huge = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) });
    const api = await admin.call("POST", "/organizations", JSON.parse(huge));
    expect([api.status, api.body.error?.code, api.body.error?.details?.[0]?.field]).toEqual([400, "BAD_REQUEST", "body"]);
    expect(await t.runtime.database.db.select().from(organizations)).toHaveLength(1);
    const auth = await t.app.request(`${t.config.publicUrl}/auth/sign-up/email`, { method: "POST", headers: { "content-type": "application/json", origin: t.config.publicUrl, "x-backbeat-client-ip": "2001:db8::55" }, body: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024), email: "huge@example.com", password: "correct horse battery" }) });
    expect(auth.status).toBe(413);
  });
});

describe("red team: attacks that held (regressions)", () => {
  it("P05: another user reusing someone's Idempotency-Key runs their own request and never sees the first answer", async () => {
    const { admin: alice } = await orgOf("Alma");
    const mallory = await newUser(t, "Mallory");
    const first = await alice.call("POST", "/organizations", { name: "Secret Plans" }, { "idempotency-key": "shared-key" });
    const replay = await mallory.call("POST", "/organizations", { name: "Secret Plans" }, { "idempotency-key": "shared-key" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBeNull();
    expect(replay.body.id).not.toBe(first.body.id);
  });

  it("P02: an API key in the query string is not a credential; only the Authorization header is", async () => {
    const { admin, orgId } = await orgOf("Quinn");
    const created = await admin.call("POST", `/organizations/${orgId}/api-keys`, { name: "q", scopes: ["read"] });
    const secret = created.body.secret as string;
    for (const query of [`api_key=${secret}`, `access_token=${secret}`, `key=${secret}`]) {
      const res = await t.app.request(`${t.config.publicUrl}/api/v1/organizations?${query}`);
      expect(res.status).toBe(401);
    }
  });
});

describe("red team: provider failures are told as what they are", () => {
  it("a mail provider outage while inviting is a 503 about e-mail, not a Spotify error on `spotifyUrl`; no invitation is left", async () => {
    const { admin, orgId } = await orgOf("Mia");
    t.runtime.resendEmulator!.control.injectFault({ status: 503, times: 10 });
    const r = await admin.call("POST", `/organizations/${orgId}/invitations`, { email: "new@example.com", role: "viewer" });
    expect(r.status).toBe(503);
    expect(r.body.error?.code).toBe("UNAVAILABLE");
    expect(r.body.error?.message).not.toMatch(/spotify/i);
    expect(r.body.error?.details).toBeUndefined();
    expect((await admin.call("GET", `/organizations/${orgId}/invitations`)).body.data).toEqual([]);
  });
});
