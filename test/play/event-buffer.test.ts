import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { engagementEvents } from "../../src/db/schema/index";
import { createLogger } from "../../src/lib/logger";
import { createEventBuffer, type EngagementInput } from "../../src/modules/attribution/create-event-buffer";
import { createSmartLink } from "../../src/modules/play/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";

let t: TestApp;
let linkPath: string;
let artistId: string;
let linkId: string;
let logLines: string[];

beforeEach(async () => {
  logLines = [];
  t = await createTestApp({ logLines });
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  linkPath = `/${created.artist.slug}/${created.link.slug}`;
  artistId = created.artist.id;
  linkId = created.link.id;
});

let closed = false;
afterEach(async () => {
  if (!closed) await t.close();
  closed = false;
});

const SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const db = () => t.runtime.database.db;
const stored = () => db().select().from(engagementEvents).orderBy(engagementEvents.id);

function view(n: number, extra: Partial<EngagementInput> = {}): EngagementInput {
  return {
    type: "VIEW",
    artistId,
    smartLinkId: linkId,
    visitorHash: `visitor-${n}`,
    context: { path: linkPath, utm: {}, referrerHost: null, clickIds: [], country: null, deviceClass: "mobile", inAppBrowser: null, locale: null },
    ...extra,
  };
}

/** A buffer of our own on the test database; its timer never fires within a test. */
function buffer() {
  return createEventBuffer({ db: db(), clock: t.clock, logger: createLogger({ level: "silent" }), flushMs: 60_000 });
}

/** Makes every insert into engagement_events fail (a NOT VALID check still applies to new rows). */
async function breakEventWrites(condition = sql`false`) {
  await db().execute(sql`alter table engagement_events add constraint test_refuse_writes check (${condition}) not valid`);
}
async function repairEventWrites() {
  await db().execute(sql`alter table engagement_events drop constraint test_refuse_writes`);
}

describe("the event buffer", () => {
  it("views enqueued by landing requests are not in the database until flush, then all of them are", async () => {
    const browser = t.browser();
    // Three visitors (a repeat by one visitor inside the dedupe window is only counted).
    for (let i = 0; i < 3; i++) expect((await browser.request(linkPath, { userAgent: `${SAFARI} visitor/${i}` })).status).toBe(200);
    expect((await browser.request(`${linkPath}/go/spotify`)).status).toBe(302);
    expect(t.runtime.events.pending).toBe(4);
    expect(await stored()).toEqual([]);

    await t.runtime.events.flush();
    expect(t.runtime.events.pending).toBe(0);
    expect((await stored()).map((e) => e.type)).toEqual(["VIEW", "VIEW", "VIEW", "SERVICE_CLICK"]);

    // A second flush writes nothing twice.
    await t.runtime.events.flush();
    expect(await stored()).toHaveLength(4);
  });

  it("events keep the time they happened, not the time they were flushed", async () => {
    const events = buffer();
    const at = t.clock.now();
    events.enqueue(view(1));
    t.clock.advance(45_000);
    await events.flush();
    const [row] = await stored();
    expect(row!.occurredAt).toEqual(at);
    await events.close();
  });

  it("close() writes everything buffered, across several batches", async () => {
    const events = buffer();
    for (let i = 0; i < 2_345; i++) events.enqueue(view(i));
    await events.close();
    expect(events.pending).toBe(0);
    const rows = await stored();
    expect(rows).toHaveLength(2_345);
    expect(new Set(rows.map((r) => r.visitorHash)).size).toBe(2_345);
  }, 60_000);

  it("graceful shutdown: closing the runtime writes buffered views before the database closes", async () => {
    const browser = t.browser();
    for (let i = 0; i < 5; i++) expect((await browser.request(linkPath, { userAgent: `${SAFARI} visitor/${i}` })).status).toBe(200);
    expect(t.runtime.events.pending).toBe(5);

    const database = t.runtime.database;
    const closeDatabase = database.close.bind(database);
    let rowsAtClose = -1;
    database.close = async () => {
      const result = await database.db.execute(sql`select count(*)::int as n from engagement_events where type = 'VIEW'`);
      rowsAtClose = Number((result.rows[0] as { n: number }).n);
      await closeDatabase();
    };
    await t.close();
    closed = true;
    expect(rowsAtClose).toBe(5);
  });

  it("a failing flush keeps the events for the next try, without duplicates", async () => {
    const events = buffer();
    for (let i = 0; i < 3; i++) events.enqueue(view(i));
    await breakEventWrites();
    await events.flush();
    expect(events.pending).toBe(3);
    expect(await stored()).toEqual([]);

    await repairEventWrites();
    await events.flush();
    expect(events.pending).toBe(0);
    expect((await stored()).map((r) => r.visitorHash)).toEqual(["visitor-0", "visitor-1", "visitor-2"]);
    await events.close();
  });

  it("a flush that fails part-way keeps exactly the unwritten events, and the runtime logs the failure", async () => {
    // The runtime's own buffer, so the failure goes through its logger.
    const events = t.runtime.events;
    await breakEventWrites(sql`not (detail ? 'poison')`);
    // Crossing 1 000 buffered events starts a flush on its own; this one waits for it.
    for (let i = 0; i < 1_500; i++) events.enqueue(view(i, i === 1_200 ? { detail: { poison: true } } : {}));
    await events.flush();
    // The first batch of 1 000 went in; the batch holding the poisoned row stays buffered.
    expect(await stored()).toHaveLength(1_000);
    expect(events.pending).toBe(500);
    expect(logLines.some((line) => line.includes("event flush failed"))).toBe(true);

    await repairEventWrites();
    await events.flush();
    expect(events.pending).toBe(0);
    const rows = await stored();
    expect(rows).toHaveLength(1_500);
    expect(new Set(rows.map((r) => r.visitorHash)).size).toBe(1_500);
  });

  it("record() writes at once, inside the caller's transaction", async () => {
    const events = buffer();
    await expect(
      db().transaction(async (tx) => {
        await events.record(tx, [view(1, { type: "AUTH" })]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await stored()).toEqual([]);
    await events.record(db(), [view(2, { type: "AUTH" })]);
    expect((await stored()).map((r) => r.type)).toEqual(["AUTH"]);
    expect(events.pending).toBe(0);
    await events.close();
  });
});
