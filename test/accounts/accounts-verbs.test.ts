import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { artistMembers, auditLog, organizationMembers, organizations } from "../../src/db/schema/index";
import { AppError } from "../../src/lib/errors";
import {
  acceptInvitation,
  authenticateApiKey,
  changeMemberRole,
  createApiKey,
  createArtist,
  createArtistSmartLink,
  createInvitation,
  createOrganization,
  editSmartLink,
  eraseUserAccess,
  getArtist,
  getSmartLink,
  erasePlatformUser,
  grantDemoAdmin,
  INVITATION_TTL_MS,
  listArtists,
  listOrganizations,
  removeMember,
  revokeApiKey,
  revokeInvitation,
} from "../../src/modules/accounts/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { insertUser } from "./insert-user";

const DAFT_PUNK = "https://open.spotify.com/artist/4tZwfgrHOc3mvqYlEYSvVi";
const CARLY = "https://open.spotify.com/artist/6sFIWsNpZYqfjUpaCgueju";
const DISCOVERY = "https://open.spotify.com/album/2noRn2Aes5aoNVsU6iWThc";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const as = (userId: string): Ctx => t.runtime.ctxFor({ kind: "user", userId, sessionId: `ses_${userId}` });
const db = () => t.runtime.database.db;
/** The token of the last invitation mailed to `to`, read from the Resend emulator's inbox. */
const tokenOf = (to: string) => {
  const mail = t.runtime.resendEmulator!.control.emails({ to }).at(-1);
  return /\/app\/invitations\/([A-Za-z0-9_-]+)/.exec(mail!.text!)![1]!;
};

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

async function twoTenants() {
  const alice = await insertUser(db(), "Alice");
  const bob = await insertUser(db(), "Bob");
  const org = await createOrganization({ ctx: as(alice.id), input: { name: "Alice Records" } });
  const { artist } = await createArtist({ ctx: as(alice.id), input: { spotifyUrl: DAFT_PUNK, organizationId: org.id } });
  const { artist: bobArtist } = await createArtist({ ctx: as(bob.id), input: { spotifyUrl: CARLY } });
  return { alice, bob, org, artist, bobArtist };
}

describe("accounts verbs (P05)", () => {
  it("P05: another tenant's artist, link and organization answer NOT_FOUND; lists hold only one's own", async () => {
    const { alice, bob, org, artist, bobArtist } = await twoTenants();
    const { link } = await createArtistSmartLink({ ctx: as(alice.id), input: { artistId: artist.id, spotifyUrl: DISCOVERY } });
    expect(await code(getArtist({ ctx: as(bob.id), input: { artistId: artist.id } }))).toBe("NOT_FOUND");
    expect(await code(getSmartLink({ ctx: as(bob.id), input: { linkId: link.id } }))).toBe("NOT_FOUND");
    expect(await code(editSmartLink({ ctx: as(bob.id), input: { linkId: link.id, published: false } }))).toBe("NOT_FOUND");
    expect(await code(createInvitation({ ctx: as(bob.id), input: { scope: { organizationId: org.id }, email: "x@example.test", role: "viewer" } }))).toBe("NOT_FOUND");
    expect((await listArtists({ ctx: as(bob.id), input: { limit: 25 } })).data.map((a) => a.id)).toEqual([bobArtist.id]);
    expect((await listArtists({ ctx: as(alice.id), input: { limit: 25 } })).data.map((a) => a.id)).toEqual([artist.id]);
    expect((await getArtist({ ctx: as(bob.id), input: { artistId: bobArtist.id } })).role).toBe("admin");
  });

  it("P05: a viewer cannot write; an artist grant adds to the organization role", async () => {
    const { alice, org, artist } = await twoTenants();
    const carol = await insertUser(db(), "Carol");
    await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: carol.email, role: "viewer" } });
    await acceptInvitation({ ctx: as(carol.id), input: { token: tokenOf(carol.email) } });
    expect((await getArtist({ ctx: as(carol.id), input: { artistId: artist.id } })).role).toBe("viewer");
    expect(await code(createArtistSmartLink({ ctx: as(carol.id), input: { artistId: artist.id, spotifyUrl: DISCOVERY } }))).toBe("FORBIDDEN");
    await createInvitation({ ctx: as(alice.id), input: { scope: { artistId: artist.id }, email: carol.email, role: "editor" } });
    await acceptInvitation({ ctx: as(carol.id), input: { token: tokenOf(carol.email) } });
    expect((await getArtist({ ctx: as(carol.id), input: { artistId: artist.id } })).role).toBe("editor");
    expect(await code(createArtistSmartLink({ ctx: as(carol.id), input: { artistId: artist.id, spotifyUrl: DISCOVERY } }))).toBe("OK");
    // Every write has its audit entry, with the session.
    const entries = await db().select().from(auditLog).where(eq(auditLog.artistId, artist.id));
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["artist.create", "invitation.create", "invitation.accept", "smart_link.create"]));
    expect(entries.find((e) => e.action === "smart_link.create")).toMatchObject({ actorUserId: carol.id, sessionId: `ses_${carol.id}` });
  });

  it("P05: the effective role is computed per artist: admin elsewhere gives nothing here; counts are the artist's own", async () => {
    const { alice, bob, org, artist, bobArtist } = await twoTenants();
    // Bob is admin of his own organization AND of his own artist; on Alice's artist he only gets a viewer grant.
    await createOrganization({ ctx: as(bob.id), input: { name: "Bob Co" } });
    await createInvitation({ ctx: as(alice.id), input: { scope: { artistId: artist.id }, email: bob.email, role: "viewer" } });
    await acceptInvitation({ ctx: as(bob.id), input: { token: tokenOf(bob.email) } });
    const seen = (await listArtists({ ctx: as(bob.id), input: { limit: 25 } })).data.map((a) => [a.id, a.role]);
    expect(seen.sort()).toEqual([[artist.id, "viewer"], [bobArtist.id, "admin"]].sort());
    expect((await getArtist({ ctx: as(bob.id), input: { artistId: artist.id } })).role).toBe("viewer");
    expect(await code(editSmartLink({ ctx: as(bob.id), input: { linkId: "lnk_missing", published: false } }))).toBe("NOT_FOUND");
    await createArtistSmartLink({ ctx: as(alice.id), input: { artistId: artist.id, spotifyUrl: DISCOVERY } });
    const counts = Object.fromEntries((await listArtists({ ctx: as(bob.id), input: { limit: 25 } })).data.map((a) => [a.id, a.smartLinkCount]));
    expect(counts).toEqual({ [artist.id]: 1, [bobArtist.id]: 0 });
    // Accepting a lower invitation never lowers a role.
    await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: bob.email, role: "editor" } });
    await acceptInvitation({ ctx: as(bob.id), input: { token: tokenOf(bob.email) } });
    expect((await getArtist({ ctx: as(bob.id), input: { artistId: artist.id } })).role).toBe("editor");
  });

  it("P05: invitations: e-mail must match, revoked and expired links refuse, accepting twice refuses", async () => {
    const { alice, org } = await twoTenants();
    const dave = await insertUser(db(), "Dave");
    const eve = await insertUser(db(), "Eve");
    const { invitation } = await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: dave.email.toUpperCase(), role: "editor" } });
    const token = tokenOf(dave.email);
    expect(await code(acceptInvitation({ ctx: as(eve.id), input: { token } }))).toBe("FORBIDDEN");
    await revokeInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, invitationId: invitation.id } });
    expect(await code(acceptInvitation({ ctx: as(dave.id), input: { token } }))).toBe("CONFLICT");

    await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: dave.email, role: "editor" } });
    t.clock.advance(INVITATION_TTL_MS + 1000);
    expect(await code(acceptInvitation({ ctx: as(dave.id), input: { token: tokenOf(dave.email) } }))).toBe("CONFLICT");

    await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: dave.email, role: "editor" } });
    const fresh = tokenOf(dave.email);
    expect(await acceptInvitation({ ctx: as(dave.id), input: { token: fresh } })).toEqual({ organizationId: org.id, artistId: null, role: "editor" });
    expect(await code(acceptInvitation({ ctx: as(dave.id), input: { token: fresh } }))).toBe("CONFLICT");
    expect(await code(acceptInvitation({ ctx: as(dave.id), input: { token: "x".repeat(43) } }))).toBe("NOT_FOUND");
  });

  it("P05: the last admin can neither leave, be removed nor be demoted; an editor cannot manage members", async () => {
    const { alice, org } = await twoTenants();
    const scope = { organizationId: org.id };
    expect(await code(removeMember({ ctx: as(alice.id), input: { scope, userId: alice.id } }))).toBe("CONFLICT");
    expect(await code(changeMemberRole({ ctx: as(alice.id), input: { scope, userId: alice.id, role: "editor" } }))).toBe("CONFLICT");
    const frank = await insertUser(db(), "Frank");
    await createInvitation({ ctx: as(alice.id), input: { scope, email: frank.email, role: "editor" } });
    await acceptInvitation({ ctx: as(frank.id), input: { token: tokenOf(frank.email) } });
    expect(await code(removeMember({ ctx: as(frank.id), input: { scope, userId: alice.id } }))).toBe("FORBIDDEN");
    expect(await code(changeMemberRole({ ctx: as(frank.id), input: { scope, userId: frank.id, role: "admin" } }))).toBe("FORBIDDEN");
    expect(await code(changeMemberRole({ ctx: as(alice.id), input: { scope, userId: frank.id, role: "owner" } }))).toBe("BAD_REQUEST");
    await changeMemberRole({ ctx: as(alice.id), input: { scope, userId: frank.id, role: "admin" } });
    await removeMember({ ctx: as(alice.id), input: { scope, userId: alice.id } });
    expect(await code(removeMember({ ctx: as(frank.id), input: { scope, userId: frank.id } }))).toBe("CONFLICT");
  });

  it("P05: an API key sees only its organization, within its scopes; a revoked key is refused at once", async () => {
    const { alice, org, artist, bobArtist } = await twoTenants();
    const { secret, apiKey } = await createApiKey({ ctx: as(alice.id), input: { organizationId: org.id, name: "CI", scopes: ["read"] } });
    expect(secret).toMatch(/^bb_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(secret.slice(0, 11));
    const actor = await authenticateApiKey({ ctx: as(alice.id), input: { secret } });
    const keyCtx = t.runtime.ctxFor(actor);
    expect((await getArtist({ ctx: keyCtx, input: { artistId: artist.id } })).id).toBe(artist.id);
    expect(await code(getArtist({ ctx: keyCtx, input: { artistId: bobArtist.id } }))).toBe("NOT_FOUND");
    expect(await code(createArtistSmartLink({ ctx: keyCtx, input: { artistId: artist.id, spotifyUrl: DISCOVERY } }))).toBe("FORBIDDEN");
    expect(await code(createApiKey({ ctx: keyCtx, input: { organizationId: org.id, name: "x", scopes: ["read"] } }))).toBe("FORBIDDEN");
    await revokeApiKey({ ctx: as(alice.id), input: { organizationId: org.id, apiKeyId: apiKey.id } });
    expect(await code(authenticateApiKey({ ctx: as(alice.id), input: { secret } }))).toBe("UNAUTHORIZED");
  });

  it("erasure hook: refused while the only admin of a shared organization; a solo organization goes with the user", async () => {
    const { alice, bob, org, artist } = await twoTenants();
    const gina = await insertUser(db(), "Gina");
    await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: gina.email, role: "viewer" } });
    await acceptInvitation({ ctx: as(gina.id), input: { token: tokenOf(gina.email) } });
    expect(await code(eraseUserAccess({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { userId: alice.id } }))).toBe("CONFLICT");
    await eraseUserAccess({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { userId: gina.id } });
    expect(await db().select().from(organizationMembers).where(eq(organizationMembers.userId, gina.id))).toEqual([]);

    const solo = await createOrganization({ ctx: as(bob.id), input: { name: "Solo" } });
    const result = await eraseUserAccess({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { userId: bob.id } });
    expect(result.deletedOrganizationIds).toEqual([solo.id]);
    expect(await db().select().from(organizations).where(eq(organizations.id, solo.id))).toEqual([]);
    expect(await db().select().from(artistMembers).where(eq(artistMembers.userId, bob.id))).toEqual([]);
    expect((await getArtist({ ctx: as(alice.id), input: { artistId: artist.id } })).id).toBe(artist.id);
  });

  it("P18 (hooks): erasePlatformUser runs the hook in its transaction: refused changes nothing; allowed removes user and memberships", async () => {
    const { alice, org } = await twoTenants();
    const hal = await insertUser(db(), "Hal");
    await createInvitation({ ctx: as(alice.id), input: { scope: { organizationId: org.id }, email: hal.email, role: "viewer" } });
    await acceptInvitation({ ctx: as(hal.id), input: { token: tokenOf(hal.email) } });
    const system = t.runtime.ctxFor({ kind: "system" });
    expect(await code(erasePlatformUser({ ctx: system, input: { userId: alice.id } }))).toBe("CONFLICT");
    expect((await db().select().from(organizationMembers).where(eq(organizationMembers.userId, alice.id))).length).toBe(1);
    expect(await erasePlatformUser({ ctx: system, input: { userId: hal.id } })).toMatchObject({ erased: true });
    expect(await db().select().from(organizationMembers).where(eq(organizationMembers.userId, hal.id))).toEqual([]);
  });

  it("an edit audits only the fields whose value changed; a save that changes nothing writes nothing", async () => {
    const { alice, artist } = await twoTenants();
    const { link } = await createArtistSmartLink({ ctx: as(alice.id), input: { artistId: artist.id, spotifyUrl: DISCOVERY } });
    const full = { services: link.services.map((s) => ({ service: s.service, url: s.url, hidden: s.hidden })), theme: link.theme as "classic", pixels: link.pixels, description: link.description };
    // The dashboard sends every field; only `published` differs.
    t.clock.advance(1000);
    const unpublished = await editSmartLink({ ctx: as(alice.id), input: { linkId: link.id, ...full, published: false } });
    const edits = async () => (await db().select().from(auditLog).where(eq(auditLog.resourceId, link.id))).filter((e) => e.action !== "smart_link.create");
    expect((await edits()).map((e) => [e.action, e.summary, e.metadata])).toEqual([["smart_link.unpublish", "unpublished Discovery (published)", { fields: ["published"] }]]);
    t.clock.advance(1000);
    const same = await editSmartLink({ ctx: as(alice.id), input: { linkId: link.id, ...full, published: false } });
    expect(same.updatedAt).toEqual(unpublished.updatedAt);
    expect(await edits()).toHaveLength(1);
  });

  it("grantDemoAdmin makes the demo user admin of the demo artist, idempotently", async () => {
    const { artist } = await twoTenants();
    const demo = await insertUser(db(), "Demo");
    const system = t.runtime.ctxFor({ kind: "system" });
    expect(await grantDemoAdmin({ ctx: system, input: { userId: demo.id, artistSlug: artist.slug } })).toBe(true);
    expect(await grantDemoAdmin({ ctx: system, input: { userId: demo.id, artistSlug: artist.slug } })).toBe(true);
    expect((await getArtist({ ctx: as(demo.id), input: { artistId: artist.id } })).role).toBe("admin");
    expect(await grantDemoAdmin({ ctx: system, input: { userId: demo.id, artistSlug: "no-such-artist" } })).toBe(false);
  });

  it("grantDemoAdmin puts an organization-less demo artist in the demo organization, demo user admin (API keys work), idempotently", async () => {
    const { bobArtist } = await twoTenants();
    const demo = await insertUser(db(), "Demo");
    const system = t.runtime.ctxFor({ kind: "system" });
    // An existing data dir: the artist has no organization yet; two starts make one organization.
    expect(await grantDemoAdmin({ ctx: system, input: { userId: demo.id, artistSlug: bobArtist.slug } })).toBe(true);
    expect(await grantDemoAdmin({ ctx: system, input: { userId: demo.id, artistSlug: bobArtist.slug } })).toBe(true);
    const orgs = (await listOrganizations({ ctx: as(demo.id), input: { limit: 25 } })).data;
    expect(orgs.map((o) => [o.name, o.role])).toEqual([["Backbeat Demo Label", "admin"]]);
    expect((await getArtist({ ctx: as(demo.id), input: { artistId: bobArtist.id } })).organizationId).toBe(orgs[0]!.id);
    const { apiKey } = await createApiKey({ ctx: as(demo.id), input: { organizationId: orgs[0]!.id, name: "Demo key", scopes: ["read"] } });
    expect(apiKey.name).toBe("Demo key");
  });
});
