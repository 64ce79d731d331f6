import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, conversionDestinations, invitations, organizationMembers } from "../../src/db/schema/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { DAFT_PUNK, DISCOVERY, join, newUser } from "./api-harness";

/* Red-team findings, round 2 (P18 rights, conversions API, analytics ranges, job trigger): each test failed before its fix. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
}, 90_000); // the first test of a worker builds the migrated PGlite template
afterEach(async () => {
  await t.close();
});

async function orgOf(name: string) {
  const admin = await newUser(t, name);
  const orgId = (await admin.call("POST", "/organizations", { name: `${name} Records` })).body.id as string;
  return { admin, orgId };
}

describe("red team: P18 erasure", () => {
  it("P18: deleting an account removes its e-mail from the invitations it accepted and its user id from member audit entries", async () => {
    const { admin, orgId } = await orgOf("Ana");
    const bea = await newUser(t, "Bea");
    await join(t, admin, `/organizations/${orgId}`, bea, "editor");
    expect((await admin.call("PATCH", `/organizations/${orgId}/members/${bea.user.userId}`, { role: "viewer" })).status).toBe(200);
    // A pending invitation of someone else to another address is untouched.
    expect((await admin.call("POST", `/organizations/${orgId}/invitations`, { email: "cy@example.com", role: "viewer" })).status).toBe(201);

    const deleted = await bea.call("DELETE", "/me", { confirmEmail: bea.user.email });
    expect(deleted.status).toBe(200);

    const listed = await admin.call("GET", `/organizations/${orgId}/invitations`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(bea.user.email);
    expect((listed.body.data as { email: string; status: string }[]).map((i) => [i.email, i.status]).sort()).toEqual([
      ["cy@example.com", "pending"],
      [expect.stringMatching(/^deleted-user-[0-9a-f]{10}$/), "accepted"],
    ]);
    const stored = JSON.stringify(await t.runtime.database.db.select().from(invitations));
    expect(stored).not.toContain(bea.user.email);

    const log = await admin.call("GET", `/organizations/${orgId}/audit-log`);
    expect(JSON.stringify(log.body)).not.toContain(bea.user.userId);
    const rows = JSON.stringify(await t.runtime.database.db.select().from(auditLog));
    expect(rows).not.toContain(bea.user.userId);
    expect(rows).not.toContain(bea.user.email);
    // The history stays, about the same (pseudonymous) person.
    const memberEntries = await t.runtime.database.db.select({ resourceId: auditLog.resourceId }).from(auditLog).where(eq(auditLog.resourceType, "member"));
    expect(memberEntries).toHaveLength(1);
    expect(memberEntries[0]!.resourceId).toMatch(/^deleted-user-[0-9a-f]{10}$/);
  });

  // Meaningful on PostgreSQL (TEST_DATABASE_URL): PGlite runs one transaction at a time.
  it("P18: two admins deleting their accounts at the same moment never leave an organization without an admin", async () => {
    // A few rounds: the first requests of a fresh app rarely overlap.
    for (let round = 0; round < 4; round++) {
      const { admin: ana, orgId } = await orgOf("Ana");
      const bea = await newUser(t, "Bea");
      const cy = await newUser(t, "Cy");
      await join(t, ana, `/organizations/${orgId}`, bea, "admin");
      await join(t, ana, `/organizations/${orgId}`, cy, "viewer");
      const answers = await Promise.all([ana.call("DELETE", "/me", { confirmEmail: ana.user.email }), bea.call("DELETE", "/me", { confirmEmail: bea.user.email })]);
      expect([round, answers.map((a) => a.status).sort()]).toEqual([round, [200, 409]]);
      const members = await t.runtime.database.db.select({ role: organizationMembers.role }).from(organizationMembers).where(eq(organizationMembers.organizationId, orgId));
      expect([round, members.map((m) => m.role).sort()]).toEqual([round, ["admin", "viewer"]]);
    }
  }, 60_000);
});

describe("red team: report ranges the database cannot hold", () => {
  it("a year-0000 or year-9999 date on analytics, CSV, valuation and conversions health is a 400 naming the field, not a 500", async () => {
    const { admin, orgId } = await orgOf("Dee");
    const artistId = (await admin.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: orgId })).body.id as string;
    const linkId = (await admin.call("POST", `/artists/${artistId}/smart-links`, { spotifyUrl: DISCOVERY })).body.id as string;
    const paths = [`/artists/${artistId}/analytics`, `/artists/${artistId}/analytics.csv`, `/artists/${artistId}/valuation`, `/smart-links/${linkId}/analytics`, `/artists/${artistId}/conversions/health`];
    const ranges: [string, string][] = [
      ["from=0000-01-01&to=0000-01-02", "from"],
      ["from=1969-12-31&to=1970-01-01", "from"],
      ["from=9999-12-31&to=9999-12-31", "from"],
      ["from=9999-12-30&to=9999-12-31", "to"],
    ];
    for (const path of paths) {
      for (const [query, field] of ranges) {
        const r = await admin.call("GET", `${path}?${query}`);
        expect([path, query, r.status, r.body.error?.code, r.body.error?.details?.[0]?.field]).toEqual([path, query, 400, "BAD_REQUEST", field]);
      }
      // The bounds themselves are fine.
      expect([path, (await admin.call("GET", `${path}?from=1970-01-01&to=1970-01-01`)).status]).toEqual([path, 200]);
      expect([path, (await admin.call("GET", `${path}?from=9999-12-30&to=9999-12-30`)).status]).toEqual([path, 200]);
    }
  });
});

describe("red team: conversions destinations", () => {
  it("an access token with characters no platform issues (non-ASCII) is a 400 on `accessToken`; nothing is stored", async () => {
    const { admin, orgId } = await orgOf("Eve");
    const artistId = (await admin.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: orgId })).body.id as string;
    const base = `/artists/${artistId}/conversions/destinations`;
    for (const accessToken of ["令牌令牌令牌令牌令牌", "tökentökentöken", "token\u00a0token", "token\u200btoken"]) {
      const r = await admin.call("POST", base, { platform: "reddit", accountId: "a2_backbeat_px", accessToken });
      expect([accessToken, r.status, r.body.error?.details?.[0]?.field]).toEqual([accessToken, 400, "accessToken"]);
    }
    expect(await t.runtime.database.db.select().from(conversionDestinations)).toEqual([]);
    const created = await admin.call("POST", base, { platform: "reddit", accountId: "a2_backbeat_px", accessToken: "reddit-token-0123456789" });
    expect(created.status).toBe(201);
    const patched = await admin.call("PATCH", `${base}/${created.body.id}`, { accessToken: "nëw-token-0123456789" });
    expect([patched.status, patched.body.error?.details?.[0]?.field]).toEqual([400, "accessToken"]);
  });
});

describe("red team: job trigger", () => {
  it("P04: a payload that is not an object, or has an unknown key, is a 400 naming `body` / `body.<key>`; nothing is queued", async () => {
    const headers = { authorization: "Bearer test-job-secret-0123456789abcdef0123456789ab", "content-type": "application/json" };
    const cases: [string, string, string][] = [
      ["conversions.plan", "null", "body"],
      ["conversions.plan", "[]", "body"],
      ["conversions.plan", '"x"', "body"],
      ["conversions.plan", '{"extra":1}', "body.extra"],
      ["conversions.deliver", '{"destinationId":5}', "body.destinationId"],
    ];
    for (const [name, body, field] of cases) {
      const r = await t.app.request(`${t.config.publicUrl}/internal/jobs/${name}`, { method: "POST", headers, body });
      const json = (await r.json()) as { error: { code: string; message: string } };
      expect([body, r.status, json.error.code, json.error.message.split(":")[0]]).toEqual([body, 400, "BAD_REQUEST", field]);
    }
    const queued = await t.runtime.database.db.execute(sql`select count(*)::int as n from pgboss.job where name in ('conversions.plan', 'conversions.deliver')`);
    expect(Number((queued.rows[0] as { n: number }).n)).toBe(0);
  });
});
