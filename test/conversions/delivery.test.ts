import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { conversionAttempts, conversionDestinations, conversionOutbox, engagementFlags, playUsers } from "../../src/db/schema/index";
import { AppError } from "../../src/lib/errors";
import {
  deliverConversions,
  dropFanConversions,
  eraseFanConversions,
  getConversionHealth,
  planConversions,
  setConversionMapping,
  upsertConversionDestination,
} from "../../src/modules/conversions/index";
import { CLICK_IDS, GOOGLE_ACCOUNT, META_PIXEL, REDDIT_PIXEL, setupConversions, type ConversionsFixture } from "./setup-conversions";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

let f: ConversionsFixture;
afterEach(async () => {
  await f?.t.close();
});

async function deliverAll(fx: ConversionsFixture) {
  const run = (destinationId: string) => deliverConversions({ ctx: fx.ctx, input: { destinationId } });
  return { meta: await run(fx.destinations.meta), google: await run(fx.destinations.google), reddit: await run(fx.destinations.reddit) };
}

async function outbox(fx: ConversionsFixture, destinationId: string) {
  return fx.t.runtime.database.db.select().from(conversionOutbox).where(eq(conversionOutbox.destinationId, destinationId)).orderBy(conversionOutbox.id);
}

describe("server-side conversions: outbox → Meta / Google / Reddit emulators", () => {
  it("an injected partial failure (one event of a batch refused) rejects that row with the platform's reason and delivers the rest, on each platform", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const good = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    const bad = await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true });
    const emu = f.t.runtime.conversionEmulators!;
    // Through the emulators' control routes, as an operator or a test would.
    for (const path of ["meta/capi", "google/datamanager", "reddit"]) {
      const res = await f.t.app.request(`${f.t.config.publicUrl}/_emulator/${path}/_control/rejections`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ eventId: bad, reason: "injected: refused" }) });
      expect(res.status, path).toBe(201);
    }
    const counts = await deliverAll(f);
    for (const c of Object.values(counts)) expect(c).toMatchObject({ delivered: 1, rejected: 1 });
    for (const id of Object.values(f.destinations)) {
      const rows = await outbox(f, id);
      expect(rows.find((r) => r.eventId === good)).toMatchObject({ status: "delivered" });
      const refused = rows.find((r) => r.eventId === bad)!;
      expect(refused.status).toBe("rejected");
      expect(refused.reason).toContain("injected: refused");
    }
    expect(emu.meta.control.events(META_PIXEL).map((e) => e.eventId)).toEqual([good]);
    expect(emu.google.control.events(GOOGLE_ACCOUNT).map((e) => e.transactionId)).toEqual([good]);
    expect(emu.reddit.control.events(REDDIT_PIXEL).map((e) => e.conversionId)).toEqual([good]);
    // Bad control input is a 400.
    expect((await f.t.app.request(`${f.t.config.publicUrl}/_emulator/reddit/_control/rejections`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(400);
  });

  it("a consenting fan with fbclid + gclid + rdt_cid: exactly one accepted, deduplicated conversion per event per platform; a replay sends nothing twice", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    // SAVE_TRACK is written transactionally (enqueued with it); STREAM comes from fan sync (planner).
    const save = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    f.t.clock.advance(60_000);
    const stream = await f.addEvent({ type: "STREAM", playUserId: fan });
    // A view is never a conversion.
    await f.addEvent({ type: "VIEW", playUserId: fan });
    f.t.clock.advance(1000);
    const plan = await planConversions({ ctx: f.ctx, input: {} });
    expect(plan.enqueued).toBe(3); // STREAM × 3 platforms; SAVE_TRACK rows existed already
    const counts = await deliverAll(f);
    expect(counts).toEqual({ meta: { delivered: 2, rejected: 0, retry: 0, dropped: 0 }, google: { delivered: 2, rejected: 0, retry: 0, dropped: 0 }, reddit: { delivered: 2, rejected: 0, retry: 0, dropped: 0 } });

    const emu = f.t.runtime.conversionEmulators!;
    const metaEvents = emu.meta.control.events(META_PIXEL);
    expect(metaEvents.map((e) => [e.eventName, e.eventId, e.deduplicated])).toEqual([
      ["Subscribe", save, false],
      ["Stream", stream, false],
    ]);
    // Seconds, unhashed fbc / fbp, hashed external id; nothing raw.
    expect(metaEvents[0]!.eventTime).toBe(Math.floor((f.t.clock.now().getTime() - 61_000) / 1000));
    expect(metaEvents[0]!.userData).toEqual({ external_id: [sha(fan)], fbc: CLICK_IDS.fbc, fbp: CLICK_IDS.fbp });
    const googleEvents = emu.google.control.events(GOOGLE_ACCOUNT);
    expect(googleEvents.map((e) => [e.transactionId, e.adIdentifiers])).toEqual([
      [save, { gclid: CLICK_IDS.gclid }],
      [stream, { gclid: CLICK_IDS.gclid }],
    ]);
    expect(googleEvents[0]!.eventTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    const redditEvents = emu.reddit.control.events(REDDIT_PIXEL);
    expect(redditEvents.map((e) => [e.trackingType, e.customEventName, e.conversionId, e.clickId])).toEqual([
      ["SignUp", null, save, CLICK_IDS.rdtCid],
      ["Custom", "Stream", stream, CLICK_IDS.rdtCid],
    ]);
    expect(redditEvents[0]!.eventAt).toBe(f.t.clock.now().getTime() - 61_000); // milliseconds
    expect(redditEvents[0]!.user).toEqual({ external_id: sha(fan) });

    // Replay: the planner and every delivery job run again → no call, nothing sent twice.
    const calls = [emu.meta.control.calls(), emu.google.control.calls(), emu.reddit.control.calls()];
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(0);
    await deliverAll(f);
    expect([emu.meta.control.calls(), emu.google.control.calls(), emu.reddit.control.calls()]).toEqual(calls);
    const health = await getConversionHealth({ ctx: f.ctx, input: { artistId: f.artistId } });
    expect(health.map((h) => [h.platform, h.delivered, h.rejected, h.deduplicated, h.matchKeys])).toEqual([
      ["meta", 2, 0, 0, { fbc: 2, fbp: 2, external_id: 2 }],
      ["google", 2, 0, 0, { gclid: 2 }],
      ["reddit", 2, 0, 0, { rdt_cid: 2, external_id: 2 }],
    ]);
    // The emulators are mounted over HTTP too (outside production), beside Meta Login.
    const listed = await f.t.app.request(`${f.t.config.publicUrl}/_emulator/reddit/_control/events`);
    expect(((await listed.json()) as { events: unknown[] }).events).toHaveLength(2);
    const me = await f.t.app.request(`${f.t.config.publicUrl}/_emulator/meta/v23.0/me`);
    expect(me.status).toBeGreaterThanOrEqual(400); // Login's Graph /me still answers (no token)
    expect(await me.text()).toContain("error");
  }, 90_000); // the first test of a worker builds the migrated PGlite template

  it("a row sent again after its delivery (lost acknowledgement) is deduplicated by the platform on event_name + event_id", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true });
    await deliverConversions({ ctx: f.ctx, input: { destinationId: f.destinations.meta } });
    // Simulate a crash after the send but before the commit: the row is pending again.
    await f.t.runtime.database.db.update(conversionOutbox).set({ status: "pending" }).where(eq(conversionOutbox.destinationId, f.destinations.meta));
    await deliverConversions({ ctx: f.ctx, input: { destinationId: f.destinations.meta } });
    const [row] = await outbox(f, f.destinations.meta);
    expect(row).toMatchObject({ status: "delivered", deduplicated: true });
    expect(f.t.runtime.conversionEmulators!.meta.control.events().filter((e) => !e.deduplicated)).toHaveLength(1);
  });

  it("429 with Retry-After reschedules the row for then; a 5xx is retried with backoff; both end delivered", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    const emu = f.t.runtime.conversionEmulators!;
    emu.meta.control.injectFault({ status: 429, retryAfterSeconds: 120 });
    emu.reddit.control.injectFault({ status: 503 });
    const start = f.t.clock.now().getTime();
    const first = await deliverAll(f);
    expect(first.meta).toMatchObject({ retry: 1, delivered: 0 });
    expect(first.reddit).toMatchObject({ retry: 1, delivered: 0 });
    expect(first.google).toMatchObject({ delivered: 1 });
    const [metaRow] = await outbox(f, f.destinations.meta);
    expect(metaRow).toMatchObject({ status: "pending", attempts: 1, reason: "rate_limited" });
    expect(metaRow!.nextAttemptAt.getTime()).toBe(start + 120_000); // Retry-After beats the 30 s backoff
    const [redditRow] = await outbox(f, f.destinations.reddit);
    expect(redditRow!.nextAttemptAt.getTime()).toBe(start + 30_000);
    const attempts = await f.t.runtime.database.db.select().from(conversionAttempts).where(eq(conversionAttempts.outboxId, metaRow!.id));
    expect(attempts).toMatchObject([{ status: "retry", httpStatus: 429 }]);
    expect(attempts[0]!.responseExcerpt).not.toContain("meta-capi-token");
    // Not due yet: nothing is sent.
    expect((await deliverConversions({ ctx: f.ctx, input: { destinationId: f.destinations.meta } })).delivered).toBe(0);
    f.t.clock.advance(120_001);
    const second = await deliverAll(f);
    expect(second.meta.delivered).toBe(1);
    expect(second.reddit.delivered).toBe(1);
    expect(emu.meta.control.events()).toHaveLength(1);
  });

  it("partial failure: Google names the bad event; it is rejected with Google's reason, the others are delivered", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const good = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    const bad = await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true, clickIds: { gclid: "short" } });
    const good2 = await f.addEvent({ type: "PRESAVE", playUserId: fan, transactional: true });
    const counts = await deliverConversions({ ctx: f.ctx, input: { destinationId: f.destinations.google } });
    expect(counts).toEqual({ delivered: 2, rejected: 1, retry: 0, dropped: 0 });
    const rows = await outbox(f, f.destinations.google);
    const byEvent = new Map(rows.map((r) => [r.eventId, r]));
    expect(byEvent.get(good)!.status).toBe("delivered");
    expect(byEvent.get(good2)!.status).toBe("delivered");
    expect(byEvent.get(bad)).toMatchObject({ status: "rejected", reason: expect.stringContaining("Malformed click identifier") });
    expect(f.t.runtime.conversionEmulators!.google.control.events().map((e) => e.transactionId).sort()).toEqual([good, good2].sort());
  });

  it("permanent failure: Meta refuses a batch (bad token) → each row rejected with Meta's reason, never retried", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true });
    await upsertConversionDestination({ ctx: f.ctx, input: { artistId: f.artistId, platform: "meta", accountId: META_PIXEL, accessToken: "wrong-token-000000" } });
    const counts = await deliverConversions({ ctx: f.ctx, input: { destinationId: f.destinations.meta } });
    expect(counts).toEqual({ delivered: 0, rejected: 2, retry: 0, dropped: 0 });
    for (const row of await outbox(f, f.destinations.meta)) {
      expect(row.status).toBe("rejected");
      expect(row.reason).toContain("code 190");
    }
    const calls = f.t.runtime.conversionEmulators!.meta.control.calls();
    expect(calls).toBe(1); // a refused credential is not split into one call per event
    f.t.clock.advance(3_600_000);
    await deliverConversions({ ctx: f.ctx, input: { destinationId: f.destinations.meta } });
    expect(f.t.runtime.conversionEmulators!.meta.control.calls()).toBe(calls);
  });

  it("stale events are not sent to Meta / Reddit (7 days) but still to Google (90 days)", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, occurredAt: new Date(f.t.clock.now().getTime() - 8 * 86_400_000) });
    const counts = await deliverAll(f);
    expect(counts.meta).toMatchObject({ dropped: 1, delivered: 0 });
    expect(counts.reddit).toMatchObject({ dropped: 1 });
    expect(counts.google).toMatchObject({ delivered: 1 });
    expect((await outbox(f, f.destinations.meta))[0]!.reason).toBe("stale_event");
  });

  it("P12: a fan without ad consent (or who withdrew) gets nothing sent, and their queued rows are dropped as consent_withdrawn", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    f.consenting.delete(fan); // withdrawn before delivery
    const counts = await deliverAll(f);
    for (const c of Object.values(counts)) expect(c).toEqual({ delivered: 0, rejected: 0, retry: 0, dropped: 1 });
    const emu = f.t.runtime.conversionEmulators!;
    expect([emu.meta.control.calls(), emu.google.control.calls(), emu.reddit.control.calls()]).toEqual([0, 0, 0]);
    for (const id of Object.values(f.destinations)) expect((await outbox(f, id))[0]).toMatchObject({ status: "dropped", reason: "consent_withdrawn" });
    // The withdrawal hook drops queued rows at once, before any delivery runs.
    const other = await f.addFan();
    f.consenting.add(other);
    await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: other, transactional: true });
    expect(await dropFanConversions({ ctx: f.ctx, input: { playUserId: other } })).toEqual({ dropped: 3 });
    await deliverAll(f);
    expect([emu.meta.control.calls(), emu.google.control.calls(), emu.reddit.control.calls()]).toEqual([0, 0, 0]);
  });

  it("a fan flagged as likely fraud (open engagement flag) gets nothing sent from the flag's scope on (dropped as flagged)", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    const honest = await f.addFan();
    f.consenting.add(fan);
    f.consenting.add(honest);
    const now = f.t.clock.now();
    const before = await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, occurredAt: new Date(now.getTime() - 3_600_000) });
    const after = await f.addEvent({ type: "FOLLOW_ARTIST", playUserId: fan, transactional: true });
    await f.addEvent({ type: "SAVE_TRACK", playUserId: honest, transactional: true });
    const db = f.t.runtime.database.db;
    await db.insert(engagementFlags).values({ id: "flg_test_shared_device", playUserId: fan, artistId: f.artistId, reason: "shared_device", scopeFrom: new Date(now.getTime() - 60_000), flaggedAt: now });
    const counts = await deliverAll(f);
    for (const c of Object.values(counts)) expect(c).toMatchObject({ delivered: 2, dropped: 1 });
    for (const id of Object.values(f.destinations)) {
      const rows = await outbox(f, id);
      expect(rows.find((r) => r.eventId === after)).toMatchObject({ status: "dropped", reason: "flagged" });
      expect(rows.find((r) => r.eventId === before)).toMatchObject({ status: "delivered" });
    }
    expect(f.t.runtime.conversionEmulators!.meta.control.events().map((e) => e.eventId)).not.toContain(after);
  });

  it("events without this platform's click id get no row for it; mapping overrides rename, value and turn off", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    await setConversionMapping({ ctx: f.ctx, input: { artistId: f.artistId, platform: "meta", eventType: "SAVE_TRACK", eventName: "SaveTrack", valueMinor: 150, currency: "EUR" } });
    await setConversionMapping({ ctx: f.ctx, input: { artistId: f.artistId, platform: "reddit", eventType: "SAVE_TRACK", enabled: false } });
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true, clickIds: { fbc: CLICK_IDS.fbc } });
    const counts = await deliverAll(f);
    expect(counts.meta.delivered).toBe(1);
    expect(counts.google).toEqual({ delivered: 0, rejected: 0, retry: 0, dropped: 0 });
    expect(await outbox(f, f.destinations.google)).toHaveLength(0); // no gclid / gbraid / wbraid: not Google's fan
    expect(await outbox(f, f.destinations.reddit)).toHaveLength(0); // not enqueued: mapping off
    // The sweeper decides alike: it finds nothing to add.
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(0);
    const [ev] = f.t.runtime.conversionEmulators!.meta.control.events();
    expect(ev).toMatchObject({ eventName: "SaveTrack", customData: { value: 1.5, currency: "eur" } });
  });

  it("tenant isolation: one artist's delivery and health never include another artist's events", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    f.consenting.add(fan);
    const otherArtist = await f.addArtist();
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, artistId: otherArtist, transactional: true });
    // The other artist has no destination: nothing is queued for it, nothing reaches our pixel.
    expect((await planConversions({ ctx: f.ctx, input: {} })).enqueued).toBe(0);
    await deliverAll(f);
    expect(f.t.runtime.conversionEmulators!.meta.control.events()).toHaveLength(0);
    expect(await getConversionHealth({ ctx: f.ctx, input: { artistId: otherArtist } })).toEqual([]);
  });

  it("bad destination input names the field and changes nothing; tokens are sealed, never stored in clear", async () => {
    f = await setupConversions();
    const before = await f.t.runtime.database.db.select().from(conversionDestinations);
    await expect(upsertConversionDestination({ ctx: f.ctx, input: { artistId: f.artistId, platform: "google", accountId: "123-456-7890", conversionActionId: "1", accessToken: "tok-123456789" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "accountId",
    });
    await expect(upsertConversionDestination({ ctx: f.ctx, input: { artistId: f.artistId, platform: "google", accountId: "1234567890", accessToken: "tok-123456789" } })).rejects.toBeInstanceOf(AppError);
    const after = await f.t.runtime.database.db.select().from(conversionDestinations);
    expect(after).toEqual(before);
    for (const d of after) expect(d.accessTokenSealed).toMatch(/^v1\./);
  });

  it("erasure: erasing the fan deletes their outbox rows and attempts", async () => {
    f = await setupConversions();
    const fan = await f.addFan();
    const keep = await f.addFan();
    f.consenting.add(fan);
    f.consenting.add(keep);
    await f.addEvent({ type: "SAVE_TRACK", playUserId: fan, transactional: true });
    await f.addEvent({ type: "SAVE_TRACK", playUserId: keep, transactional: true });
    await deliverAll(f);
    const db = f.t.runtime.database.db;
    expect(await eraseFanConversions({ ctx: f.ctx, input: { playUserId: fan } })).toEqual({ deleted: 3 });
    expect(await db.select().from(conversionOutbox).where(eq(conversionOutbox.playUserId, fan))).toHaveLength(0);
    expect(await db.select().from(conversionOutbox).where(eq(conversionOutbox.playUserId, keep))).toHaveLength(3);
    // Delivered rows carry their accepted attempt themselves (no attempts row); a logged one goes too.
    const [kept] = await db.select().from(conversionOutbox).where(eq(conversionOutbox.playUserId, keep));
    await db.insert(conversionAttempts).values({ id: "cva_test", outboxId: kept!.id, destinationId: kept!.destinationId, status: "retry", httpStatus: 503, responseExcerpt: "x", durationMs: 1, attemptedAt: f.t.clock.now() });
    // The Play user's erasure cascades the same way.
    await db.delete(playUsers).where(eq(playUsers.id, keep));
    expect(await db.select().from(conversionOutbox).where(and(eq(conversionOutbox.playUserId, keep)))).toHaveLength(0);
    expect(await db.select().from(conversionAttempts)).toHaveLength(0);
  });
});
