import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { idempotencyKeys } from "../../src/db/schema/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { asKey, asUser, CARLY, DAFT_PUNK, DISCOVERY, EMOTION, invitationToken, join, newUser } from "./api-harness";

/* /api/v1 through real HTTP (the app, Better Auth sessions, API keys); a new app per test. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Alice: admin of an organization with Daft Punk and a Discovery link; Bob: owns Carly Rae Jepsen directly. */
async function world() {
  const alice = await newUser(t, "Alice");
  const bob = await newUser(t, "Bob");
  const org = (await alice.call("POST", "/organizations", { name: "Alice Records" })).body as { id: string };
  const artist = await alice.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: org.id });
  expect(artist.status).toBe(201);
  const link = await alice.call("POST", `/artists/${artist.body.id}/smart-links`, { spotifyUrl: DISCOVERY });
  expect(link.status).toBe(201);
  const bobArtist = await bob.call("POST", "/artists", { spotifyUrl: CARLY });
  expect(bobArtist.status).toBe(201);
  return { alice, bob, orgId: org.id, artistId: artist.body.id as string, linkId: link.body.id as string, bobArtistId: bobArtist.body.id as string, link: link.body };
}

async function keyFor(admin: ReturnType<typeof asUser>, orgId: string, scopes: string[]) {
  const created = await admin.call("POST", `/organizations/${orgId}/api-keys`, { name: "robot", scopes });
  expect(created.status).toBe(201);
  return { id: (created.body.apiKey as { id: string }).id, secret: created.body.secret as string };
}

describe("/api/v1 (P05)", () => {
  it("P05: another tenant's id answers 404 on every resource type, for users and API keys", async () => {
    const w = await world();
    const { secret } = await keyFor(w.bob, (await w.bob.call("POST", "/organizations", { name: "Bob Co" })).body.id as string, ["read", "smart_links.write", "artists.write", "members.write"]);
    const bobKey = asKey(t, secret);
    const probes: [string, string, unknown?][] = [
      ["GET", `/organizations/${w.orgId}`],
      ["PATCH", `/organizations/${w.orgId}`, { name: "mine" }],
      ["GET", `/organizations/${w.orgId}/members`],
      ["PATCH", `/organizations/${w.orgId}/members/${w.alice.user.userId}`, { role: "viewer" }],
      ["DELETE", `/organizations/${w.orgId}/members/${w.alice.user.userId}`],
      ["GET", `/organizations/${w.orgId}/invitations`],
      ["POST", `/organizations/${w.orgId}/invitations`, { email: "x@example.com", role: "viewer" }],
      ["GET", `/organizations/${w.orgId}/api-keys`],
      ["POST", `/organizations/${w.orgId}/api-keys`, { name: "x", scopes: ["read"] }],
      ["GET", `/organizations/${w.orgId}/audit-log`],
      ["GET", `/artists/${w.artistId}`],
      ["PATCH", `/artists/${w.artistId}`, { hubPublished: false }],
      ["GET", `/artists/${w.artistId}/members`],
      ["POST", `/artists/${w.artistId}/invitations`, { email: "x@example.com", role: "viewer" }],
      ["GET", `/artists/${w.artistId}/audit-log`],
      ["GET", `/artists/${w.artistId}/smart-links`],
      ["POST", `/artists/${w.artistId}/smart-links`, { spotifyUrl: DISCOVERY }],
      ["GET", `/smart-links/${w.linkId}`],
      ["PATCH", `/smart-links/${w.linkId}`, { published: false }],
      ["POST", `/smart-links/${w.linkId}/preview`, { theme: "aurora" }],
      ["POST", "/artists", { spotifyUrl: EMOTION.replace("album", "artist"), organizationId: w.orgId }],
    ];
    for (const [method, path, body] of probes) {
      const asBob = await w.bob.call(method, path, body);
      expect([path, asBob.status, asBob.body.error?.code]).toEqual([path, 404, "NOT_FOUND"]);
      const asKeyAnswer = await bobKey.call(method, path, body);
      expect([path, asKeyAnswer.status]).toEqual([path, 404]);
    }
    // Lists never leak: Bob's artists are his own.
    expect(((await w.bob.call("GET", "/artists")).body.data as { id: string }[]).map((a) => a.id)).toEqual([w.bobArtistId]);
    expect(((await w.alice.call("GET", "/me")).body.artists as { id: string; role: string }[]).map((a) => [a.id, a.role])).toEqual([[w.artistId, "admin"]]);
    // Nothing changed.
    expect((await w.alice.call("GET", `/smart-links/${w.linkId}`)).body.published).toBe(true);
  });

  it("P05: a viewer can read but not write (403); an editor cannot manage members, keys or read the audit log", async () => {
    const w = await world();
    const viewer = await newUser(t, "Vera");
    const editor = await newUser(t, "Ed");
    await join(t, w.alice, `/organizations/${w.orgId}`, viewer, "viewer");
    await join(t, w.alice, `/organizations/${w.orgId}`, editor, "editor");
    expect((await viewer.call("GET", `/smart-links/${w.linkId}`)).status).toBe(200);
    expect((await viewer.call("POST", `/smart-links/${w.linkId}/preview`, { theme: "aurora" })).status).toBe(200);
    for (const [method, path, body] of [
      ["PATCH", `/smart-links/${w.linkId}`, { published: false }],
      ["POST", `/artists/${w.artistId}/smart-links`, { spotifyUrl: DISCOVERY }],
      ["PATCH", `/artists/${w.artistId}`, { hubPublished: false }],
      ["POST", "/artists", { spotifyUrl: "https://open.spotify.com/artist/6LqNN22kT3074XbTVUrhzX", organizationId: w.orgId }],
    ] as const) {
      const r = await viewer.call(method, path, body);
      expect([path, r.status, r.body.error?.code]).toEqual([path, 403, "FORBIDDEN"]);
    }
    expect((await editor.call("PATCH", `/smart-links/${w.linkId}`, { description: "Out now" })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", `/organizations/${w.orgId}/invitations`, { email: "new@example.com", role: "viewer" }],
      ["PATCH", `/organizations/${w.orgId}/members/${viewer.user.userId}`, { role: "editor" }],
      ["DELETE", `/organizations/${w.orgId}/members/${viewer.user.userId}`],
      ["GET", `/organizations/${w.orgId}/api-keys`],
      ["POST", `/organizations/${w.orgId}/api-keys`, { name: "x", scopes: ["read"] }],
      ["GET", `/organizations/${w.orgId}/audit-log`],
    ] as const) {
      const r = await editor.call(method, path, body);
      expect([path, r.status]).toEqual([path, 403]);
    }
    // The audit log names who did what from which session.
    const log = await w.alice.call("GET", `/organizations/${w.orgId}/audit-log`);
    const edit = (log.body.data as { action: string; actor: { userId?: string; name?: string }; sessionId: string | null }[]).find((e) => e.action === "smart_link.update");
    expect(edit).toMatchObject({ actor: { kind: "user", userId: editor.user.userId, name: "Ed" } });
    expect(edit?.sessionId).toMatch(/^ses_/);
  });

  it("P05: API keys act within their scopes; a revoked key is refused at once; keys skip CSRF", async () => {
    const w = await world();
    const reader = await keyFor(w.alice, w.orgId, ["read"]);
    const writer = await keyFor(w.alice, w.orgId, ["read", "smart_links.write"]);
    const r = asKey(t, reader.secret);
    expect((await r.call("GET", `/artists/${w.artistId}/smart-links`)).status).toBe(200);
    expect((await r.call("PATCH", `/smart-links/${w.linkId}`, { published: false })).status).toBe(403);
    const wr = asKey(t, writer.secret);
    const patched = await wr.call("PATCH", `/smart-links/${w.linkId}`, { published: false }, { origin: "https://evil.example" });
    expect(patched.status).toBe(200);
    const log = await w.alice.call("GET", `/organizations/${w.orgId}/audit-log`);
    expect((log.body.data as { action: string; actor: { kind: string; apiKeyId?: string; apiKeyName?: string }; sessionId: string | null }[])[0]).toMatchObject({ action: "smart_link.unpublish", actor: { kind: "api_key", apiKeyId: writer.id, apiKeyName: "robot" }, sessionId: null });
    const keys = await w.alice.call("GET", `/organizations/${w.orgId}/api-keys`);
    const listed = (keys.body.data as { id: string; lastUsedAt: string | null; prefix: string }[]).find((k) => k.id === writer.id)!;
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(keys.body)).not.toContain(writer.secret);
    expect(writer.secret.startsWith(listed.prefix)).toBe(true);

    expect((await w.alice.call("DELETE", `/organizations/${w.orgId}/api-keys/${writer.id}`)).status).toBe(204);
    const refused = await wr.call("GET", `/artists/${w.artistId}`);
    expect([refused.status, refused.body.error?.code]).toEqual([401, "UNAUTHORIZED"]);
    expect((await asKey(t, "bb_not-a-real-key").call("GET", "/artists")).status).toBe(401);
    expect((await r.call("POST", `/organizations/${w.orgId}/api-keys`, { name: "escalate", scopes: ["members.write"] })).status).toBe(403);
  });

  it("P05: a removed member loses access on the next request", async () => {
    const w = await world();
    const carol = await newUser(t, "Carol");
    await join(t, w.alice, `/organizations/${w.orgId}`, carol, "editor");
    expect((await carol.call("GET", `/artists/${w.artistId}`)).status).toBe(200);
    expect((await w.alice.call("DELETE", `/organizations/${w.orgId}/members/${carol.user.userId}`)).status).toBe(204);
    expect((await carol.call("GET", `/artists/${w.artistId}`)).status).toBe(404);
    expect((await carol.call("PATCH", `/smart-links/${w.linkId}`, { published: false })).status).toBe(404);
    expect((await carol.call("GET", `/organizations/${w.orgId}`)).status).toBe(404);
  });

  it("P05: invitations: accept, revoke, expiry (fake clock), e-mail mismatch; artist grants add to org roles", async () => {
    const w = await world();
    const dave = await newUser(t, "Dave");
    const eve = await newUser(t, "Eve");
    const inv = await w.alice.call("POST", `/organizations/${w.orgId}/invitations`, { email: dave.user.email, role: "viewer" });
    expect(inv.body).toMatchObject({ email: dave.user.email, role: "viewer", status: "pending", invitedBy: { userId: w.alice.user.userId, name: "Alice" } });
    expect(JSON.stringify(inv.body)).not.toMatch(/token/i);
    const token = invitationToken(t, dave.user.email);
    expect((await dave.call("GET", `/invitations/${token}`)).body).toMatchObject({ organizationName: "Alice Records", role: "viewer", status: "pending" });
    expect((await eve.call("POST", `/invitations/${token}/accept`)).status).toBe(403);
    expect((await w.alice.call("DELETE", `/organizations/${w.orgId}/invitations/${inv.body.id}`)).status).toBe(204);
    expect((await dave.call("POST", `/invitations/${token}/accept`)).status).toBe(409);
    const listed = await w.alice.call("GET", `/organizations/${w.orgId}/invitations`);
    expect((listed.body.data as { id: string; status: string }[]).find((i) => i.id === inv.body.id)?.status).toBe("revoked");

    await w.alice.call("POST", `/organizations/${w.orgId}/invitations`, { email: dave.user.email, role: "viewer" });
    const late = invitationToken(t, dave.user.email);
    t.clock.advance(7 * 24 * 3600_000 + 1);
    expect((await dave.call("GET", `/invitations/${late}`)).body.status).toBe("expired");
    expect((await dave.call("POST", `/invitations/${late}/accept`)).status).toBe(409);

    await join(t, w.alice, `/organizations/${w.orgId}`, dave, "viewer");
    expect((await dave.call("PATCH", `/smart-links/${w.linkId}`, { theme: "aurora" })).status).toBe(403);
    await join(t, w.alice, `/artists/${w.artistId}`, dave, "editor");
    expect((await dave.call("GET", `/artists/${w.artistId}`)).body.role).toBe("editor");
    expect((await dave.call("PATCH", `/smart-links/${w.linkId}`, { theme: "aurora" })).status).toBe(200);
    const members = await w.alice.call("GET", `/artists/${w.artistId}/members`);
    expect((members.body.data as { userId: string; via: string; role: string }[]).filter((m) => m.userId === dave.user.userId).map((m) => [m.via, m.role]).sort()).toEqual([["artist", "editor"], ["organization", "viewer"]]);
  });

  it("P05: the last admin cannot leave, be removed or be demoted (409)", async () => {
    const w = await world();
    const me = w.alice.user.userId;
    const leave = await w.alice.call("DELETE", `/organizations/${w.orgId}/members/${me}`);
    expect([leave.status, leave.body.error?.message]).toEqual([409, expect.stringContaining("last admin")]);
    expect((await w.alice.call("PATCH", `/organizations/${w.orgId}/members/${me}`, { role: "editor" })).status).toBe(409);
    const bobSelf = await w.bob.call("DELETE", `/artists/${w.bobArtistId}/members/${w.bob.user.userId}`);
    expect(bobSelf.status).toBe(409);
    const frank = await newUser(t, "Frank");
    await join(t, w.alice, `/organizations/${w.orgId}`, frank, "admin");
    expect((await w.alice.call("DELETE", `/organizations/${w.orgId}/members/${me}`)).status).toBe(204);
    expect((await frank.call("DELETE", `/organizations/${w.orgId}/members/${frank.user.userId}`)).status).toBe(409);
  });

  it("idempotency: the same key and body replays the first answer; another body is 409", async () => {
    const alice = await newUser(t, "Ida");
    const first = await alice.call("POST", "/organizations", { name: "Once" }, { "idempotency-key": "k-1" });
    const again = await alice.call("POST", "/organizations", { name: "Once" }, { "idempotency-key": "k-1" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await alice.call("GET", "/organizations")).body.data as unknown[]).length).toBe(1);
    const other = await alice.call("POST", "/organizations", { name: "Twice" }, { "idempotency-key": "k-1" });
    expect([other.status, other.body.error?.code]).toEqual([409, "CONFLICT"]);
    // Keys expire after 24 h; any keyed create sweeps expired keys of everyone.
    t.clock.advance(24 * 3600_000 + 1);
    const otto = await newUser(t, "Otto");
    await otto.call("POST", "/organizations", { name: "Sweep" }, { "idempotency-key": "other-1" });
    expect((await t.runtime.database.db.select().from(idempotencyKeys)).map((k) => k.key)).toEqual(["other-1"]);
    expect((await alice.call("POST", "/organizations", { name: "Twice" }, { "idempotency-key": "k-1" })).status).toBe(201);
    // A smart link create replays with its Backbeat-Result header.
    const { body: artist, status } = await alice.call("POST", "/artists", { spotifyUrl: "https://open.spotify.com/artist/6LqNN22kT3074XbTVUrhzX" });
    expect([status, artist]).toEqual([201, expect.objectContaining({ name: "Kesha" })]);
    const a = await alice.call("POST", `/artists/${artist.id}/smart-links`, { spotifyUrl: "https://open.spotify.com/track/3cHyrEgdyYRjgJKSOiOtcS" }, { "idempotency-key": "link-1" });
    const b = await alice.call("POST", `/artists/${artist.id}/smart-links`, { spotifyUrl: "https://open.spotify.com/track/3cHyrEgdyYRjgJKSOiOtcS" }, { "idempotency-key": "link-1" });
    expect([a.status, b.status, b.headers.get("backbeat-result"), b.body.id]).toEqual([201, 201, "created", a.body.id]);
    const c = await alice.call("POST", `/artists/${artist.id}/smart-links`, { spotifyUrl: "https://open.spotify.com/track/3cHyrEgdyYRjgJKSOiOtcS" });
    expect([c.status, c.headers.get("backbeat-result"), c.body.id]).toEqual([200, "existing", a.body.id]);
  });

  it("CSRF: a cookie write from another site is refused and changes nothing; same-origin passes; GET changes nothing", async () => {
    const alice = await newUser(t, "Cora");
    const evil = await alice.call("POST", "/organizations", { name: "Evil" }, { origin: "https://evil.example" });
    expect([evil.status, evil.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const noOrigin = await alice.user.fetch("/api/v1/organizations", { method: "POST", headers: { "content-type": "application/json", origin: "null" }, body: JSON.stringify({ name: "Null" }) });
    expect(noOrigin.status).toBe(403);
    const fetchSite = await t.app.request(`${t.config.publicUrl}/api/v1/organizations`, { method: "POST", headers: { cookie: alice.user.cookieHeader, "sec-fetch-site": "same-origin", "content-type": "application/json" }, body: JSON.stringify({ name: "Same" }) });
    expect(fetchSite.status).toBe(201);
    const crossSite = await t.app.request(`${t.config.publicUrl}/api/v1/organizations`, { method: "POST", headers: { cookie: alice.user.cookieHeader, "sec-fetch-site": "cross-site", "content-type": "application/json" }, body: JSON.stringify({ name: "Cross" }) });
    expect(crossSite.status).toBe(403);
    expect(((await alice.call("GET", "/organizations")).body.data as { name: string }[]).map((o) => o.name)).toEqual(["Same"]);
  });

  it("cursor pagination: pages of `limit`, an opaque nextCursor, null at the end; a bad cursor or limit names the field", async () => {
    const alice = await newUser(t, "Pia");
    for (const name of ["One", "Two", "Three"]) {
      await alice.call("POST", "/organizations", { name });
      t.clock.advance(1000);
    }
    const first = await alice.call("GET", "/organizations?limit=2");
    expect((first.body.data as { name: string }[]).map((o) => o.name)).toEqual(["Three", "Two"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await alice.call("GET", `/organizations?limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`);
    expect([(second.body.data as { name: string }[]).map((o) => o.name), second.body.nextCursor]).toEqual([["One"], null]);
    const badCursor = await alice.call("GET", "/organizations?cursor=nonsense");
    expect([badCursor.status, badCursor.body.error?.details?.[0]?.field]).toEqual([400, "cursor"]);
    const badLimit = await alice.call("GET", "/organizations?limit=500");
    expect([badLimit.status, badLimit.body.error?.details?.[0]?.field]).toEqual([400, "limit"]);
  });

  it("bad input names the field and changes nothing", async () => {
    const w = await world();
    const cases: [string, string, unknown, string][] = [
      ["POST", `/artists/${w.artistId}/smart-links`, { spotifyUrl: "https://example.com/nope" }, "spotifyUrl"],
      ["POST", `/artists/${w.artistId}/smart-links`, { spotifyUrl: DAFT_PUNK }, "spotifyUrl"],
      ["PATCH", `/smart-links/${w.linkId}`, { services: [{ service: "apple_music", url: "https://evil.example/x" }] }, "services.0.url"],
      ["PATCH", `/smart-links/${w.linkId}`, { pixels: { meta: "<script>" } }, "pixels.meta"],
      ["PATCH", `/smart-links/${w.linkId}`, { theme: "neon" }, "theme"],
      ["POST", `/organizations/${w.orgId}/invitations`, { email: "not-an-email", role: "viewer" }, "email"],
      ["POST", `/organizations/${w.orgId}/invitations`, { email: "ok@example.com", role: "owner" }, "role"],
      ["POST", `/organizations/${w.orgId}/api-keys`, { name: "k", scopes: ["everything"] }, "scopes.0"],
      ["POST", "/organizations", { name: "" }, "name"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await w.alice.call(method, path, body);
      expect([path, r.status, r.body.error?.code, r.body.error?.details?.[0]?.field]).toEqual([path, 400, "BAD_REQUEST", field]);
    }
    // Another artist's release is refused on this artist's hub, and says whose it is.
    const before = (await w.alice.call("GET", `/artists/${w.artistId}/smart-links`)).body;
    const foreign = await w.alice.call("POST", `/artists/${w.artistId}/smart-links`, { spotifyUrl: "https://open.spotify.com/track/11dFghVXANMlKmJXsNCbNl" });
    expect([foreign.status, foreign.body.error?.details?.[0]?.field]).toEqual([400, "spotifyUrl"]);
    expect(foreign.body.error?.message).toContain("This release is by Carly Rae Jepsen, not Daft Punk");
    expect((await w.alice.call("GET", `/artists/${w.artistId}/smart-links`)).body).toEqual(before);
    const stale = await w.alice.call("PATCH", `/smart-links/${w.linkId}`, { published: false, expectedUpdatedAt: "2020-01-01T00:00:00.000Z" });
    expect(stale.status).toBe(409);
    expect((await w.alice.call("GET", `/smart-links/${w.linkId}`)).body).toEqual(w.link);
    const dup = await w.bob.call("POST", "/artists", { spotifyUrl: DAFT_PUNK });
    expect([dup.status, dup.body.error?.code]).toEqual([409, "CONFLICT"]);
  });

  it("lists filter smart links by text, publish state and release type", async () => {
    const w = await world();
    await w.alice.call("POST", `/artists/${w.artistId}/smart-links`, { spotifyUrl: "https://open.spotify.com/album/4m2880jivSbbyEGAKfITCa" });
    const all = await w.alice.call("GET", `/artists/${w.artistId}/smart-links`);
    expect((all.body.data as unknown[]).length).toBe(2);
    expect(((await w.alice.call("GET", `/artists/${w.artistId}/smart-links?q=disco`)).body.data as { title: string }[]).map((l) => l.title)).toEqual(["Discovery"]);
    await w.alice.call("PATCH", `/smart-links/${w.linkId}`, { published: false });
    expect(((await w.alice.call("GET", `/artists/${w.artistId}/smart-links?published=false`)).body.data as { id: string }[]).map((l) => l.id)).toEqual([w.linkId]);
    expect((await w.alice.call("GET", `/artists/${w.artistId}/smart-links?published=maybe`)).body.error?.details?.[0]?.field).toBe("published");
  });

  it("publishing and editing through the API shows on the public page at once (the node's page cache is dropped)", async () => {
    const w = await world();
    const publicPath = new URL(w.link.publicUrl as string).pathname;
    expect((await t.app.request(`${t.config.publicUrl}${publicPath}`)).status).toBe(200); // now cached for 5 s
    expect((await w.alice.call("PATCH", `/smart-links/${w.linkId}`, { published: false })).status).toBe(200);
    expect((await t.app.request(`${t.config.publicUrl}${publicPath}`)).status).toBe(404);
    // A refused write drops nothing it should not: the page stays what the database says.
    expect((await w.bob.call("PATCH", `/smart-links/${w.linkId}`, { published: true })).status).toBe(404);
    expect((await t.app.request(`${t.config.publicUrl}${publicPath}`)).status).toBe(404);
    expect((await w.alice.call("PATCH", `/smart-links/${w.linkId}`, { published: true, description: "Fresh words" })).status).toBe(200);
    const page = await t.app.request(`${t.config.publicUrl}${publicPath}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Fresh words");
  });

  it("the OpenAPI document is valid OpenAPI 3.1, lists every route with both security schemes, and describes real answers", async () => {
    const response = await t.app.request(`${t.config.publicUrl}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } };
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearer", "cookie"]);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(routes).toEqual(
      [
        "GET /me", "PATCH /me",
        "GET /me/export", "DELETE /me", "GET /me/processing", "PUT /me/processing",
        "GET /organizations", "POST /organizations", "GET /organizations/{organizationId}", "PATCH /organizations/{organizationId}",
        "GET /organizations/{organizationId}/members", "PATCH /organizations/{organizationId}/members/{userId}", "DELETE /organizations/{organizationId}/members/{userId}",
        "GET /organizations/{organizationId}/invitations", "POST /organizations/{organizationId}/invitations", "DELETE /organizations/{organizationId}/invitations/{invitationId}",
        "GET /invitations/{token}", "POST /invitations/{token}/accept",
        "GET /organizations/{organizationId}/api-keys", "POST /organizations/{organizationId}/api-keys", "DELETE /organizations/{organizationId}/api-keys/{keyId}",
        "GET /organizations/{organizationId}/audit-log",
        "GET /artists", "POST /artists", "GET /artists/{artistId}", "PATCH /artists/{artistId}",
        "GET /artists/{artistId}/members", "PATCH /artists/{artistId}/members/{userId}", "DELETE /artists/{artistId}/members/{userId}",
        "GET /artists/{artistId}/invitations", "POST /artists/{artistId}/invitations", "DELETE /artists/{artistId}/invitations/{invitationId}",
        "GET /artists/{artistId}/audit-log",
        "GET /artists/{artistId}/smart-links", "POST /artists/{artistId}/smart-links",
        "GET /smart-links/{linkId}", "PATCH /smart-links/{linkId}", "POST /smart-links/{linkId}/preview",
        "GET /themes", "GET /services",
        "GET /artists/{artistId}/analytics", "GET /artists/{artistId}/analytics.csv", "GET /smart-links/{linkId}/analytics", "GET /smart-links/{linkId}/analytics.csv",
        "GET /artists/{artistId}/valuation", "GET /artists/{artistId}/spend", "PUT /artists/{artistId}/spend",
        "GET /artists/{artistId}/attribution-settings", "PUT /artists/{artistId}/attribution-settings",
        "GET /artists/{artistId}/conversions/destinations", "POST /artists/{artistId}/conversions/destinations", "PATCH /artists/{artistId}/conversions/destinations/{destinationId}",
        "POST /artists/{artistId}/conversions/destinations/{destinationId}/test",
        "GET /artists/{artistId}/conversions/mappings", "PUT /artists/{artistId}/conversions/mappings/{platform}/{eventType}",
        "GET /artists/{artistId}/conversions/deliveries", "GET /artists/{artistId}/conversions/deliveries/{deliveryId}",
        "GET /artists/{artistId}/conversions/health",
      ].sort(),
    );

    // Real answers match the documented schemas.
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: "backbeat", components: (doc as unknown as { components: object }).components });
    const w = await world();
    const answers: [string, string][] = [
      ["/me", "Me"],
      ["/organizations", "OrganizationPage"],
      [`/organizations/${w.orgId}/members`, "MemberPage"],
      [`/organizations/${w.orgId}/audit-log`, "AuditEntryPage"],
      ["/artists", "ArtistPage"],
      [`/artists/${w.artistId}/smart-links`, "SmartLinkPage"],
      [`/smart-links/${w.linkId}`, "SmartLink"],
      ["/services", "Services"],
      ["/themes", "Themes"],
      ["/me/processing", "ProcessingChoice"],
      ["/me/export", "MyDataExport"],
    ];
    for (const [path, schema] of answers) {
      const validate = ajv.getSchema(`backbeat#/components/schemas/${schema}`)!;
      const { body } = await w.alice.call("GET", path);
      expect([path, validate(body), validate.errors ?? null]).toEqual([path, true, null]);
    }
    const errorSchema = ajv.getSchema("backbeat#/components/schemas/Error")!;
    expect(errorSchema((await w.bob.call("GET", `/artists/${w.artistId}`)).body)).toBe(true);
  });
});

describe("rate limits", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ env: { API_RATE_LIMIT: "3" } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("answers 429 with Retry-After past the per-user limit, and counts each user apart", async () => {
    const ann = await newUser(limited, "Ann");
    const ben = await newUser(limited, "Ben");
    for (let i = 0; i < 3; i++) expect((await ann.call("GET", "/me")).status).toBe(200);
    const over = await ann.call("GET", "/me");
    expect([over.status, over.body.error?.code]).toEqual([429, "RATE_LIMITED"]);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await ben.call("GET", "/me")).status).toBe(200);
  });
});
