import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";

const SECRET = "test-job-secret-0123456789abcdef0123456789ab";
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function queued(app: TestApp, name: string): Promise<number> {
  const result = await app.runtime.database.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${name}`);
  return Number((result.rows[0] as { n: number }).n);
}

describe("POST /internal/jobs/<name>", () => {
  it("P04 enqueues with the right bearer secret", async () => {
    t = await createTestApp();
    const response = await t.app.request("/internal/jobs/play.deliver-presaves", { method: "POST", headers: { authorization: `Bearer ${SECRET}` } });
    expect(response.status).toBe(202);
    expect((await response.json()) as { jobId: string }).toHaveProperty("jobId");
    expect(await queued(t, "play.deliver-presaves")).toBe(1);
  });

  it("a repeated trigger collapses into the job already queued (idempotent)", async () => {
    t = await createTestApp();
    for (let i = 0; i < 3; i++) {
      const response = await t.app.request("/internal/jobs/play.deliver-presaves", { method: "POST", headers: { authorization: `Bearer ${SECRET}` } });
      expect(response.status).toBe(202);
    }
    expect(await queued(t, "play.deliver-presaves")).toBe(1);
  });

  it("P04 refuses a missing, wrong or non-bearer secret, and never reads one from the query string", async () => {
    t = await createTestApp();
    const cases: Array<[string, Record<string, string>]> = [
      ["/internal/jobs/play.deliver-presaves", {}],
      ["/internal/jobs/play.deliver-presaves", { authorization: `Bearer ${SECRET}x` }],
      ["/internal/jobs/play.deliver-presaves", { authorization: SECRET }],
      ["/internal/jobs/play.deliver-presaves", { authorization: "Bearer " }],
    ];
    for (const [path, headers] of cases) {
      const response = await t.app.request(path, { method: "POST", headers });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("UNAUTHORIZED");
      expect(body.error.requestId).toBeTruthy();
    }
    const viaQuery = await t.app.request(`/internal/jobs/play.deliver-presaves?secret=${SECRET}`, { method: "POST" });
    expect(viaQuery.status).toBe(400);
    expect(await queued(t, "play.deliver-presaves")).toBe(0);
  });

  it("P04 an unset or short secret disables the endpoint (fail closed)", async () => {
    for (const JOB_SECRET of [undefined, "short-secret"]) {
      t = await createTestApp({ env: { JOB_SECRET } });
      const response = await t.app.request("/internal/jobs/play.deliver-presaves", { method: "POST", headers: { authorization: `Bearer ${JOB_SECRET ?? ""}` } });
      expect(response.status).toBe(403);
      await t.close();
      t = undefined;
    }
  });

  it("rejects unknown jobs and bad bodies with the field named, enqueuing nothing", async () => {
    t = await createTestApp();
    const headers = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };
    const unknown = await t.app.request("/internal/jobs/nope", { method: "POST", headers });
    expect(unknown.status).toBe(400);
    const bad = await t.app.request("/internal/jobs/play.import-catalog", { method: "POST", headers, body: JSON.stringify({ artistId: "x" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/artistId/);
    expect(await queued(t, "play.import-catalog")).toBe(0);
  });
});
