import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeys, auditLog, authAccounts, authSessions, idempotencyKeys, organizations, userProcessingChoices, users } from "../../src/db/schema/index";
import { auditPseudonym, erasePlatformUser, isUserProcessingRestricted, readSessionActor } from "../../src/modules/accounts/index";
import { asKey, asUser, DAFT_PUNK, join, newUser } from "../api/api-harness";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { cookiesFrom, requestAs } from "../harness/sign-up-user";

/* P18 platform rights through real HTTP: export, delete, restriction / objection. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const db = () => t.runtime.database.db;

/** A second browser for the same user (a second session row). */
async function signInAgain(email: string, password: string): Promise<string> {
  const res = await requestAs(t, "", "/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", "x-backbeat-client-ip": "198.51.100.7" }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  return [...cookiesFrom(res)].filter(([, v]) => v !== "").map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Alice: admin of "Alice Records" (Daft Punk) with an API key; returns the key secret. */
async function aliceWorld() {
  const alice = await newUser(t, "Alice");
  const org = (await alice.call("POST", "/organizations", { name: "Alice Records" })).body as { id: string };
  const artist = await alice.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: org.id });
  expect(artist.status).toBe(201);
  const key = await alice.call("POST", `/organizations/${org.id}/api-keys`, { name: "robot", scopes: ["read"] });
  expect(key.status).toBe(201);
  return { alice, orgId: org.id, artistId: artist.body.id as string, keyId: (key.body.apiKey as { id: string }).id, secret: key.body.secret as string };
}

describe("P18 export (GET /api/v1/me/export)", () => {
  it("P18: the export is a JSON download of profile, sessions, memberships, API-key metadata, audit entries and processing choices — and no secret", async () => {
    const w = await aliceWorld();
    expect((await w.alice.call("PUT", "/me/processing", { restrict: true, object: false })).status).toBe(200);
    const res = await w.alice.user.fetch("/api/v1/me/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="backbeat-my-data-2026-11-29.json"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    const data = JSON.parse(text) as Record<string, unknown> & { profile: { id: string; email: string }; organizations: unknown[]; apiKeysCreated: { id: string; prefix: string }[]; auditEntries: { action: string }[]; sessions: unknown[]; processingChoices: { restrict: boolean }[]; signInMethods: { provider: string }[] };
    expect(data.format).toBe("backbeat.user-export.v1");
    expect(data.exportedAt).toBe("2026-11-29T12:00:00.000Z");
    expect(data.profile).toMatchObject({ id: w.alice.user.userId, email: w.alice.user.email, name: "Alice" });
    expect(data.signInMethods).toEqual([expect.objectContaining({ provider: "email_password" })]);
    expect(data.sessions).toHaveLength(1);
    expect(data.organizations).toEqual([expect.objectContaining({ organizationId: w.orgId, name: "Alice Records", role: "admin" })]);
    expect(data.apiKeysCreated).toEqual([expect.objectContaining({ id: w.keyId, name: "robot", scopes: ["read"], revokedAt: null })]);
    expect(data.auditEntries.map((e) => e.action)).toEqual(["organization.create", "artist.create", "api_key.create"]);
    expect(data.processingChoices).toEqual([expect.objectContaining({ restrict: true, object: false })]);

    // No secret of any kind: key secret or hash, session token, password or its hash.
    const [key] = await db().select().from(apiKeys).where(eq(apiKeys.id, w.keyId));
    const [session] = await db().select().from(authSessions).where(eq(authSessions.userId, w.alice.user.userId));
    const [account] = await db().select().from(authAccounts).where(eq(authAccounts.userId, w.alice.user.userId));
    for (const secret of [w.secret, key!.secretHash, session!.token, account!.password!, w.alice.user.password]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/secretHash|"token"|"password"/);
  });

  it("P18: tenant isolation — the export is always the caller's own; another user's id cannot be asked for, and API keys cannot export", async () => {
    const w = await aliceWorld();
    const bob = await newUser(t, "Bob");
    const res = await bob.user.fetch(`/api/v1/me/export?userId=${w.alice.user.userId}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text).profile.id).toBe(bob.user.userId);
    for (const alices of [w.alice.user.userId, w.alice.user.email, w.orgId, w.keyId, "Alice Records"]) expect(text).not.toContain(alices);

    const key = asKey(t, w.secret);
    for (const [method, path, body] of [["GET", "/me/export"], ["GET", "/me/processing"], ["PUT", "/me/processing", { restrict: true, object: true }], ["DELETE", "/me", { confirmEmail: w.alice.user.email }]] as const) {
      const answer = await key.call(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
    expect(await db().select().from(users).where(eq(users.id, w.alice.user.userId))).toHaveLength(1);
    expect(await db().select().from(userProcessingChoices)).toHaveLength(0);

    const anonymous = await t.app.request(`${t.config.publicUrl}/api/v1/me/export`);
    expect(anonymous.status).toBe(401);
  });
});

describe("P18 delete account (DELETE /api/v1/me)", () => {
  it("P18: bad input changes nothing — missing, empty, wrong e-mail, cross-site request", async () => {
    const w = await aliceWorld();
    for (const body of [{}, { confirmEmail: "" }, { confirmEmail: "someone-else@example.com" }, { confirmEmail: 42 }]) {
      const res = await w.alice.call("DELETE", "/me", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error!.details![0]!.field).toBe("confirmEmail");
    }
    const crossSite = await w.alice.call("DELETE", "/me", { confirmEmail: w.alice.user.email }, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await db().select().from(users).where(eq(users.id, w.alice.user.userId))).toHaveLength(1);
    expect((await w.alice.call("GET", "/me")).status).toBe(200);
  });

  it("P18: delete works — sole-member organization deleted, every session (all devices) rejected, audit kept without the person; repeating is harmless", async () => {
    const w = await aliceWorld();
    const otherDevice = await signInAgain(w.alice.user.email, w.alice.user.password);
    await w.alice.call("POST", "/organizations", { name: "Side Project" }, { "Idempotency-Key": "create-side-project" });
    const bob = await newUser(t, "Bob");
    const bobOrg = (await bob.call("POST", "/organizations", { name: "Bob Co" })).body as { id: string };
    await join(t, bob, `/organizations/${bobOrg.id}`, w.alice, "editor");

    const res = await w.alice.call("DELETE", "/me", { confirmEmail: `  ${w.alice.user.email.toUpperCase()} ` });
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBe(true);
    expect(new Set(res.body.deletedOrganizationIds as string[]).has(w.orgId)).toBe(true);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("backbeat.session_token=;") && c.includes("Max-Age=0"))).toBe(true);

    // The sessions of this browser and of the other device no longer work.
    expect((await w.alice.call("GET", "/me")).status).toBe(401);
    expect((await requestAs(t, otherDevice, "/api/v1/me")).status).toBe(401);
    expect(await readSessionActor(t.runtime, new Headers({ cookie: otherDevice }))).toBeNull();
    expect(await db().select().from(authSessions).where(eq(authSessions.userId, w.alice.user.userId))).toHaveLength(0);
    expect(await db().select().from(users).where(eq(users.id, w.alice.user.userId))).toHaveLength(0);
    // Her sole-member organizations (and their keys) are gone; Bob's organization stays.
    expect((await db().select().from(organizations)).map((o) => o.name)).toEqual(["Bob Co"]);
    expect(await db().select().from(apiKeys)).toHaveLength(0);
    expect(await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.scope, `user:${w.alice.user.userId}`))).toHaveLength(0);
    // Bob's audit log keeps the entries but not Alice's id, session or e-mail.
    const pseudonym = auditPseudonym(w.alice.user.userId);
    const entries = await db().select().from(auditLog).where(eq(auditLog.organizationId, bobOrg.id));
    const accepted = entries.find((e) => e.action === "invitation.accept")!;
    expect(accepted).toMatchObject({ actorUserId: null, sessionId: null, actorPseudonym: pseudonym, summary: `${pseudonym} joined as editor` });
    const invited = entries.find((e) => e.action === "invitation.create")!;
    expect(invited.actorUserId).toBe(bob.user.userId);
    expect(JSON.stringify(invited)).not.toContain(w.alice.user.email);
    expect(JSON.stringify(entries)).not.toContain(w.alice.user.userId);
    const log = await bob.call("GET", `/organizations/${bobOrg.id}/audit-log`);
    expect((log.body.data as { action: string; actor: Record<string, unknown> }[]).find((e) => e.action === "invitation.accept")!.actor).toEqual({ kind: "user", pseudonym });

    // Again: the session is gone (401); the erasure hook itself answers "nothing to erase".
    expect((await w.alice.call("DELETE", "/me", { confirmEmail: w.alice.user.email })).status).toBe(401);
    expect(await erasePlatformUser({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { userId: w.alice.user.userId } })).toEqual({ erased: false, deletedOrganizationIds: [] });
    expect((await bob.call("GET", "/me")).status).toBe(200);
  });

  it("P18: the last admin of an organization with other members is refused (409, nothing changes) until someone else is admin", async () => {
    const w = await aliceWorld();
    const bob = await newUser(t, "Bob");
    await join(t, w.alice, `/organizations/${w.orgId}`, bob, "editor");

    const refused = await w.alice.call("DELETE", "/me", { confirmEmail: w.alice.user.email });
    expect(refused.status).toBe(409);
    expect(refused.body.error!.message).toContain("Alice Records");
    expect(await db().select().from(users).where(eq(users.id, w.alice.user.userId))).toHaveLength(1);
    expect((await w.alice.call("GET", `/organizations/${w.orgId}`)).status).toBe(200);

    expect((await w.alice.call("PATCH", `/organizations/${w.orgId}/members/${bob.user.userId}`, { role: "admin" })).status).toBe(200);
    const deleted = await w.alice.call("DELETE", "/me", { confirmEmail: w.alice.user.email });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedOrganizationIds).toEqual([]);
    // The organization, its artist and its key stay with Bob; the key no longer names its creator.
    expect((await bob.call("GET", `/organizations/${w.orgId}`)).status).toBe(200);
    const [key] = await db().select().from(apiKeys).where(eq(apiKeys.id, w.keyId));
    expect(key!.createdByUserId).toBeNull();
    expect((await asKey(t, w.secret).call("GET", `/artists/${w.artistId}`)).status).toBe(200);
  });
});

describe("P18 restriction and objection (PUT /api/v1/me/processing)", () => {
  it("P18: recorded append-only with time, idempotent, withdrawable — and honored by isUserProcessingRestricted for analytics, ads and AI", async () => {
    const alice = await newUser(t, "Alice");
    const bob = await newUser(t, "Bob");
    const system = t.runtime.ctxFor({ kind: "system" });
    const restricted = async (userId: string) => Promise.all((["analytics", "ads", "ai"] as const).map((purpose) => isUserProcessingRestricted({ ctx: system, input: { userId, purpose } })));
    expect(await restricted(alice.user.userId)).toEqual([false, false, false]);
    expect((await alice.call("GET", "/me/processing")).body).toEqual({ restrict: false, object: false, recordedAt: null, history: [] });

    const first = await alice.call("PUT", "/me/processing", { restrict: true, object: false });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ restrict: true, object: false, recordedAt: "2026-11-29T12:00:00.000Z" });
    expect(await restricted(alice.user.userId)).toEqual([true, true, true]);
    expect(await restricted(bob.user.userId)).toEqual([false, false, false]);

    t.clock.advance(60_000);
    expect((await alice.call("PUT", "/me/processing", { restrict: true, object: false })).body).toMatchObject({ recordedAt: "2026-11-29T12:00:00.000Z" });
    expect(await db().select().from(userProcessingChoices)).toHaveLength(1);

    const objected = await alice.call("PUT", "/me/processing", { restrict: false, object: true });
    expect(objected.body).toMatchObject({ restrict: false, object: true, recordedAt: "2026-11-29T12:01:00.000Z" });
    expect(await restricted(alice.user.userId)).toEqual([true, true, true]);

    t.clock.advance(60_000);
    const withdrawn = await alice.call("PUT", "/me/processing", { restrict: false, object: false });
    expect(withdrawn.body).toMatchObject({ restrict: false, object: false, recordedAt: "2026-11-29T12:02:00.000Z" });
    expect((withdrawn.body.history as unknown[]).length).toBe(3);
    expect(await restricted(alice.user.userId)).toEqual([false, false, false]);
    const rows = await db().select().from(userProcessingChoices).where(eq(userProcessingChoices.userId, alice.user.userId));
    expect(rows.map((r) => [r.restrict, r.object])).toEqual([[true, false], [false, true], [false, false]]);
    expect(new Set(rows.map((r) => r.sessionId)).size).toBe(1);
  });

  it("P18: bad input names the field and records nothing; a cross-site PUT is refused", async () => {
    const alice = await newUser(t, "Alice");
    const cases: [unknown, string][] = [
      [{ restrict: "yes", object: false }, "restrict"],
      [{ restrict: true }, "object"],
      [{ restrict: true, object: false, purpose: "ads" }, "purpose"],
    ];
    for (const [body, field] of cases) {
      const res = await alice.call("PUT", "/me/processing", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error!.details![0]!.field).toBe(field);
    }
    expect((await alice.call("PUT", "/me/processing", { restrict: true, object: true }, { origin: "https://evil.example" })).status).toBe(403);
    expect(await db().select().from(userProcessingChoices)).toHaveLength(0);
  });

  it("P18: erasure hook — choices go with the account", async () => {
    const alice = await newUser(t, "Alice");
    await alice.call("PUT", "/me/processing", { restrict: true, object: true });
    expect((await alice.call("DELETE", "/me", { confirmEmail: alice.user.email })).status).toBe(200);
    expect(await db().select().from(userProcessingChoices)).toHaveLength(0);
    expect(await isUserProcessingRestricted({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { userId: alice.user.userId, purpose: "ads" } })).toBe(false);
  });
});

describe("P18 correction (PATCH /api/v1/me)", () => {
  it("P18: the user corrects their name; the export shows the corrected value", async () => {
    const alice = asUser((await newUser(t, "Alice")).user);
    expect((await alice.call("PATCH", "/me", { name: "Alice B." })).status).toBe(200);
    expect((await alice.call("PATCH", "/me", { name: "" })).status).toBe(400);
    const res = await alice.user.fetch("/api/v1/me/export");
    expect(JSON.parse(await res.text()).profile.name).toBe("Alice B.");
  });
});
