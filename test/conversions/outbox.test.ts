import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { artistEventValues, consentRecords, conversionOutbox, engagementEvents, engagementFlags, type LandingContext } from "../../src/db/schema/index";
import { AppError } from "../../src/lib/errors";
import { newId } from "../../src/lib/ids";
import { deliverConversions, dropFanConversions, enqueueConversions, planConversions, upsertConversionDestination } from "../../src/modules/conversions/index";
import { createTestApp } from "../harness/create-test-runtime";
import { CLICK_IDS, META_PIXEL, REDDIT_PIXEL, GOOGLE_ACCOUNT, setupConversions, type ConversionsFixture } from "./setup-conversions";

let f: ConversionsFixture;
afterEach(async () => {
  await f?.t.close();
  // A test without the fixture must not close the previous one again.
  f = undefined as unknown as ConversionsFixture;
});

const IP = "203.0.113.9";
const UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
const SUBJECT = "AbCdEfGhIjKlMnOpQrStUv";
const context: LandingContext = { path: "/artist/new-single", utm: {}, referrerHost: null, clickIds: ["fbclid"], country: "PT", deviceClass: "mobile", inAppBrowser: null, locale: "en" };

/** The raw outbox rows of an event, as stored (no ORM mapping). */
async function rawRows(fx: ConversionsFixture, eventId: string) {
  const result = await fx.t.runtime.database.db.execute(sql`select platform, status, reason, client_sealed, consent_subject from conversion_outbox where event_id = ${eventId} order by platform`);
  return result.rows as Array<{ platform: string; status: string; reason: string | null; client_sealed: string | null; consent_subject: string | null }>;
}

async function deliverAll(fx: ConversionsFixture) {
  for (const id of Object.values(fx.destinations)) await deliverConversions({ ctx: fx.ctx, input: { destinationId: id } });
}

describe("conversion outbox: written with the event", () => {
  it("a buffered SERVICE_CLICK and its outbox rows are written by one flush; the request's consent id rides on the rows", async () => {
    f = await setupConversions();
    const id = newId("event", f.t.clock.now());
    f.t.runtime.events.enqueue({
      id,
      type: "SERVICE_CLICK",
      artistId: f.artistId,
      smartLinkId: null,
      context,
      detail: { service: "spotify", clickIds: CLICK_IDS },
      adRequest: { ip: IP, userAgent: UA, consentSubject: SUBJECT },
    });
    // Nothing before the flush: no event, no row.
    expect(await rawRows(f, id)).toEqual([]);
    await f.t.runtime.events.flush();
    const rows = await rawRows(f, id);
    expect(rows.map((r) => [r.platform, r.status, r.consent_subject])).toEqual([
      ["google", "pending", SUBJECT],
      ["meta", "pending", SUBJECT],
      ["reddit", "pending", SUBJECT],
    ]);
    // A view never gets a row, and costs no outbox write.
    f.t.runtime.events.enqueue({ type: "VIEW", artistId: f.artistId, smartLinkId: null, context });
    await f.t.runtime.events.flush();
    expect(await f.t.runtime.database.db.select().from(conversionOutbox)).toHaveLength(3);
  }, 90_000); // the first test of a worker builds the migrated PGlite template

  it("an outbox write that fails takes the event with it (kept in the buffer, retried); nothing is half-written", async () => {
    f = await setupConversions();
    const db = f.t.runtime.database.db;
    await db.execute(sql`alter table conversion_outbox add constraint test_refuse_writes check (false) not valid`);
    const id = newId("event", f.t.clock.now());
    f.t.runtime.events.enqueue({ id, type: "SERVICE_CLICK", artistId: f.artistId, smartLinkId: null, context, detail: { service: "spotify", clickIds: CLICK_IDS } });
    await f.t.runtime.events.flush();
    expect(await db.select().from(engagementEvents).where(eq(engagementEvents.id, id))).toHaveLength(0);
    expect(f.t.runtime.events.pending).toBe(1);
    await db.execute(sql`alter table conversion_outbox drop constraint test_refuse_writes`);
    await f.t.runtime.events.flush();
    expect(await db.select().from(engagementEvents).where(eq(engagementEvents.id, id))).toHaveLength(1);
    expect(await rawRows(f, id)).toHaveLength(3);
  });

  it("a transactional record rolled back leaves neither the event nor its outbox rows; committed, both are there", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const db = f.t.runtime.database.db;
    const event = { type: "SAVE_TRACK" as const, artistId: f.artistId, smartLinkId: null, playUserId: fan, context, detail: { clickIds: CLICK_IDS } };
    const rolledBack = newId("event", f.t.clock.now());
    await expect(
      db.transaction(async (tx) => {
        await f.t.runtime.events.record(tx, [{ ...event, id: rolledBack }]);
        // Inside the transaction, the rows are there with the event.
        const inside = await tx.execute(sql`select count(*)::int as n from conversion_outbox where event_id = ${rolledBack}`);
        expect((inside.rows[0] as { n: number }).n).toBe(3);
        throw new Error("the caller fails after recording");
      }),
    ).rejects.toThrow("the caller fails");
    expect(await db.select().from(engagementEvents).where(eq(engagementEvents.id, rolledBack))).toHaveLength(0);
    expect(await rawRows(f, rolledBack)).toEqual([]);
    const committed = newId("event", f.t.clock.now());
    await f.t.runtime.events.record(db, [{ ...event, id: committed }]);
    expect((await rawRows(f, committed)).map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
    // Idempotent: enqueueing the same event again adds nothing.
    const again = await enqueueConversions({ ctx: f.ctx, input: { events: [{ id: committed, type: "SAVE_TRACK", artistId: f.artistId, playUserId: fan, occurredAt: f.t.clock.now(), detail: { clickIds: CLICK_IDS } }] } });
    expect(again.enqueued).toBe(0);
  });

  it("P12 with the runtime's consent gate (consent records, opt-in), record() inside a transaction asks within it: granted → pending, none → dropped", async () => {
    f = await setupConversions({ realConsent: true });
    const granted = await f.addFan();
    const unknown = await f.addFan();
    const db = f.t.runtime.database.db;
    await db.insert(consentRecords).values({ id: newId("consentRecord", f.t.clock.now()), subject: SUBJECT, playUserId: granted, scope: "ads", granted: true, policyVersion: f.t.config.consent.policyVersion, mode: "opt-in", recordedAt: f.t.clock.now() });
    const event = { type: "SAVE_TRACK" as const, artistId: f.artistId, smartLinkId: null, context, detail: { clickIds: CLICK_IDS } };
    const [a, b] = [newId("event", f.t.clock.now()), newId("event", f.t.clock.now())];
    await db.transaction(async (tx) => {
      await f.t.runtime.events.record(tx, [
        { ...event, id: a, playUserId: granted },
        { ...event, id: b, playUserId: unknown },
      ]);
    });
    expect((await rawRows(f, a)).map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
    expect((await rawRows(f, b)).map((r) => r.status)).toEqual(["dropped", "dropped", "dropped"]);
  });

  it("tenant isolation: an event gets rows only for its own artist's destinations", async () => {
    f = await setupConversions();
    const other = await f.addArtist();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const id = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, artistId: other, transactional: true });
    expect(await rawRows(f, id)).toEqual([]);
  });
});

describe("client IP and user agent (P11, P12)", () => {
  it("P11 P12 the request's IP and user agent are sealed on the outbox rows only, sent to Meta / Reddit / Google, and cleared once delivered", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const save = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, adRequest: { ip: IP, userAgent: UA, consentSubject: null } });
    const db = f.t.runtime.database.db;
    // At rest: one sealed envelope per row, neither value in clear anywhere.
    const before = await rawRows(f, save);
    expect(before).toHaveLength(3);
    for (const r of before) {
      expect(r.client_sealed).toMatch(/^v1\./);
      expect(r.client_sealed).not.toContain(IP);
      expect(r.client_sealed).not.toContain("iPhone");
    }
    const dump = JSON.stringify((await db.execute(sql`select * from engagement_events`)).rows);
    expect(dump).not.toContain(IP);
    expect(dump).not.toContain("iPhone");
    // Moved to another event's row, the envelope does not open (bound to its event).
    const stream = await f.addEvent({ type: "STREAM", playUserId: fan, transactional: true });

    await deliverAll(f);
    const emu = f.t.runtime.conversionEmulators!;
    const [meta, metaStream] = emu.meta.control.events(META_PIXEL);
    expect(meta).toMatchObject({ eventId: save, actionSource: "website", userData: { client_ip_address: IP, client_user_agent: UA } });
    // No request behind a STREAM: no client data, and not a website event.
    expect(metaStream).toMatchObject({ eventId: stream, actionSource: "other" });
    expect(metaStream!.userData).not.toHaveProperty("client_user_agent");
    const [reddit] = emu.reddit.control.events(REDDIT_PIXEL);
    expect(reddit!.user).toMatchObject({ ip_address: IP, user_agent: UA });
    // Google takes no IP of a fan in the EEA (PT here): the user agent only.
    const [google] = emu.google.control.events(GOOGLE_ACCOUNT);
    expect(google!.deviceInfo).toEqual({ userAgent: UA });
    // Delivered: the client data is gone from every row.
    for (const r of await rawRows(f, save)) expect(r).toMatchObject({ status: "delivered", client_sealed: null, consent_subject: null });
  });

  it("P12 a fan without consent at write time: rows dropped at once, no client data stored, nothing sent", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    const id = await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true, adRequest: { ip: IP, userAgent: UA, consentSubject: SUBJECT } });
    const rows = await rawRows(f, id);
    expect(rows.map((r) => [r.status, r.reason, r.client_sealed, r.consent_subject])).toEqual([
      ["dropped", "consent_withdrawn", null, null],
      ["dropped", "consent_withdrawn", null, null],
      ["dropped", "consent_withdrawn", null, null],
    ]);
    await deliverAll(f);
    const emu = f.t.runtime.conversionEmulators!;
    expect([emu.meta.control.calls(), emu.google.control.calls(), emu.reddit.control.calls()]).toEqual([0, 0, 0]);
    // The sweeper does not read them again.
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(0);
  });

  it("P12 a withdrawal drops the fan's queued rows and clears their client data before any delivery", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const id = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, adRequest: { ip: IP, userAgent: UA, consentSubject: null } });
    expect((await rawRows(f, id)).every((r) => r.client_sealed !== null)).toBe(true);
    f.consenting.delete(fan);
    expect(await dropFanConversions({ ctx: f.ctx, input: { playUserId: fan } })).toEqual({ dropped: 3 });
    for (const r of await rawRows(f, id)) expect(r).toMatchObject({ status: "dropped", reason: "consent_withdrawn", client_sealed: null });
    await deliverAll(f);
    expect(f.t.runtime.conversionEmulators!.meta.control.calls()).toBe(0);
  });

  it("P12 withdrawing in the browser (POST /legal/consent) drops the queued rows of that browser's events", async () => {
    f = await setupConversions();
    const id = newId("event", f.t.clock.now());
    f.t.runtime.events.enqueue({ id, type: "SERVICE_CLICK", artistId: f.artistId, smartLinkId: null, context, detail: { clickIds: CLICK_IDS }, adRequest: { ip: IP, userAgent: UA, consentSubject: SUBJECT } });
    await f.t.runtime.events.flush();
    expect((await rawRows(f, id)).map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
    const response = await f.t.app.request(`${f.t.config.publicUrl}/legal/consent`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(f.t.config.publicUrl).origin, cookie: `bb_cid=${SUBJECT}` },
      body: "choice=withdraw&return=/",
    });
    expect(response.status).toBe(303);
    for (const r of await rawRows(f, id)) expect(r).toMatchObject({ status: "dropped", reason: "consent_withdrawn", client_sealed: null, consent_subject: null });
  });

  it("erasure: the fan's rows (with their sealed client data) go with the fan's events", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const id = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, adRequest: { ip: IP, userAgent: UA, consentSubject: null } });
    await f.t.runtime.database.db.delete(engagementEvents).where(eq(engagementEvents.playUserId, fan));
    expect(await rawRows(f, id)).toEqual([]);
  });
});

describe("value, flags, sweeper", () => {
  it("the event value comes from attribution's valuation: Meta custom_data, Google conversionValue, Reddit metadata; none when unset", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await f.t.runtime.database.db.insert(artistEventValues).values({ artistId: f.artistId, eventType: "SAVE_TRACK", amountMinor: 250, currency: "EUR", updatedAt: f.t.clock.now() });
    const save = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    const follow = await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true });
    await deliverAll(f);
    const emu = f.t.runtime.conversionEmulators!;
    const metaBy = new Map(emu.meta.control.events().map((e) => [e.eventId, e]));
    expect(metaBy.get(save)!.customData).toEqual({ value: 2.5, currency: "eur" });
    expect(metaBy.get(follow)!.customData).toBeNull();
    const googleBy = new Map(emu.google.control.events().map((e) => [e.transactionId, e]));
    expect(googleBy.get(save)).toMatchObject({ conversionValue: 2.5, currency: "EUR" });
    expect(googleBy.get(follow)).toMatchObject({ conversionValue: null, currency: null });
    const redditBy = new Map(emu.reddit.control.events().map((e) => [e.conversionId, e]));
    expect(redditBy.get(save)!.metadata).toMatchObject({ value: 2.5, currency: "EUR" });
    expect(redditBy.get(follow)!.metadata).not.toHaveProperty("value");
  });

  it("issue 4: a flagged fan's events are not queued; an event flagged after it was queued is dropped as flagged", async () => {
    f = await setupConversions();
    const db = f.t.runtime.database.db;
    const flagged = await f.addFan();
    const later = await f.addFan();
    f.consenting.add(flagged);
    f.consenting.add(later);
    const now = f.t.clock.now();
    await db.insert(engagementFlags).values({ id: newId("engagementFlag", now), playUserId: flagged, reason: "looped_track", scopeFrom: null, flaggedAt: now });
    const none = await f.addEvent({ type: "SAVE_TRACK", playUserId: flagged, transactional: true });
    expect(await rawRows(f, none)).toEqual([]);
    const queued = await f.addEvent({ type: "SAVE_TRACK", playUserId: later, transactional: true });
    await db.insert(engagementFlags).values({ id: newId("engagementFlag", now), eventId: queued, reason: "rapid_unrelated_saves", flaggedAt: now });
    await deliverAll(f);
    for (const r of await rawRows(f, queued)) expect(r).toMatchObject({ status: "dropped", reason: "flagged" });
    expect(f.t.runtime.conversionEmulators!.meta.control.calls()).toBe(0);
    // The sweeper skips flagged events too.
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(0);
  });

  it("a STREAM is queued and sent with its touchpoint's click ids", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const save = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, clickIds: { gclid: CLICK_IDS.gclid } });
    const id = newId("event", f.t.clock.now());
    const detail = { trackId: "trk1", touchpoint: { eventId: save, type: "SAVE_TRACK", occurredAt: f.t.clock.now().toISOString() } };
    await f.t.runtime.database.db.transaction(async (tx) => {
      await tx.insert(engagementEvents).values({ id, type: "STREAM", occurredAt: f.t.clock.now(), artistId: f.artistId, smartLinkId: null, playUserId: fan, context, detail });
      await enqueueConversions({ ctx: { ...f.ctx, db: tx }, input: { events: [{ id, type: "STREAM", artistId: f.artistId, playUserId: fan, occurredAt: f.t.clock.now(), detail }] } });
    });
    // Only Google: the touchpoint has a gclid and nothing else.
    expect((await rawRows(f, id)).map((r) => r.platform)).toEqual(["google"]);
    await deliverAll(f);
    const streamed = f.t.runtime.conversionEmulators!.google.control.events().find((e) => e.transactionId === id);
    expect(streamed!.adIdentifiers).toEqual({ gclid: CLICK_IDS.gclid });
  });

  it("the sweeper adds rows for a destination created after the event (without client data), once", async () => {
    f = await setupConversions();
    const artist = await f.addArtist();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const id = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, artistId: artist, transactional: true, adRequest: { ip: IP, userAgent: UA, consentSubject: null } });
    expect(await rawRows(f, id)).toEqual([]);
    await upsertConversionDestination({ ctx: f.ctx, input: { artistId: artist, platform: "meta", accountId: META_PIXEL, accessToken: "meta-capi-token-0123456789" } });
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(1);
    expect(await rawRows(f, id)).toEqual([{ platform: "meta", status: "pending", reason: null, client_sealed: null, consent_subject: null }]);
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(0);
  });
});

describe("conversions.deliver input", () => {
  it("an unknown destination is a clear error: the job throws NOT_FOUND naming destinationId", async () => {
    f = await setupConversions();
    const unknown = newId("conversionDestination", f.t.clock.now());
    const err = await deliverConversions({ ctx: f.ctx, input: { destinationId: unknown } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "NOT_FOUND", field: "destinationId" });
  });

  it("POST /internal/jobs/conversions.deliver with an unknown destination answers 404 naming the field and queues nothing", async () => {
    const secret = "s".repeat(40);
    const t = await createTestApp({ env: { JOB_SECRET: secret } });
    try {
      const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
      const unknown = newId("conversionDestination", t.clock.now());
      const res = await t.app.request("/internal/jobs/conversions.deliver", { method: "POST", headers, body: JSON.stringify({ destinationId: unknown }) });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("destinationId");
      const jobs = await t.runtime.database.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'conversions.deliver'`);
      expect((jobs.rows[0] as { n: number }).n).toBe(0);
    } finally {
      await t.close();
    }
  });
});
