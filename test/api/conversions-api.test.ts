import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, conversionDestinations, conversionEventMappings, conversionOutbox, engagementEvents, playUsers, type LandingContext } from "../../src/db/schema/index";
import { newId } from "../../src/lib/ids";
import { deliverConversions, enqueueConversions } from "../../src/modules/conversions/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { asKey, CARLY, DAFT_PUNK, join, newUser, type ApiCaller, type Json } from "./api-harness";

/* Server-side conversions through /api/v1: destinations, mapping, delivery log, health, test events (issue 5). */

const META_PIXEL = "1234567890123";
const META_TOKEN = "meta-capi-token-0123456789-SECRET";
const REDDIT_PIXEL = "a2_backbeat_px";
const REDDIT_TOKEN = "reddit-capi-token-0123456789-SECRET";
const GOOGLE_ACCOUNT = "1234567890";
const GOOGLE_ACTION = "555001";
const GOOGLE_TOKEN = "ya29.google-token-0123456789-SECRET";
const CLICK_IDS = { fbc: "fb.1.1764417600000.IwAR2fbclidValue", fbp: "fb.1.1764417600000.1098115397", gclid: "Cj0KCQiA_gclid_value_123", rdtCid: "rdtcid1234567890abcdef" };
const context: LandingContext = { path: "/daft-punk/discovery", utm: {}, referrerHost: null, clickIds: ["fbclid"], country: "PT", deviceClass: "mobile", inAppBrowser: null, locale: "en" };

let t: TestApp;
const consenting = new Set<string>();
beforeEach(async () => {
  t = await createTestApp();
  consenting.clear();
  t.runtime.consentGate = { hasAdConsent: async ({ playUserId }) => Boolean(playUserId && consenting.has(playUserId)) };
  const emu = t.runtime.conversionEmulators!;
  emu.meta.control.registerPixel({ pixelId: META_PIXEL, accessToken: META_TOKEN });
  emu.reddit.control.registerPixel({ pixelId: REDDIT_PIXEL, accessToken: REDDIT_TOKEN });
  emu.google.control.registerAccount({ accountId: GOOGLE_ACCOUNT, conversionActionIds: [GOOGLE_ACTION], accessToken: GOOGLE_TOKEN });
}, 90_000); // the first test of a worker builds the migrated PGlite template
afterEach(async () => {
  await t.close();
});

const META = { platform: "meta", accountId: META_PIXEL, accessToken: META_TOKEN };
const REDDIT = { platform: "reddit", accountId: REDDIT_PIXEL, accessToken: REDDIT_TOKEN };

async function world() {
  const alice = await newUser(t, "Alice");
  const bob = await newUser(t, "Bob");
  const orgId = (await alice.call("POST", "/organizations", { name: "Alice Records" })).body.id as string;
  const artistId = (await alice.call("POST", "/artists", { spotifyUrl: DAFT_PUNK, organizationId: orgId })).body.id as string;
  const bobOrgId = (await bob.call("POST", "/organizations", { name: "Bob Co" })).body.id as string;
  const bobArtistId = (await bob.call("POST", "/artists", { spotifyUrl: CARLY, organizationId: bobOrgId })).body.id as string;
  const key = async (who: ApiCaller, org: string, scopes: string[]) => asKey(t, (await who.call("POST", `/organizations/${org}/api-keys`, { name: scopes.join("+"), scopes })).body.secret as string);
  return { alice, bob, orgId, artistId, bobOrgId, bobArtistId, key };
}

async function addDestination(caller: ApiCaller, artistId: string, body: Record<string, unknown>): Promise<string> {
  const res = await caller.call("POST", `/artists/${artistId}/conversions/destinations`, body);
  if (res.status !== 201) throw new Error(`destination: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** An engagement event of a consenting fan (with click ids unless `clickIds: null`), queued for the artist's destinations. */
async function addEvent(artistId: string, type: string, clickIds: Record<string, string> | null = CLICK_IDS): Promise<string> {
  const db = t.runtime.database.db;
  const now = t.clock.now();
  const fan = newId("playUser", now);
  await db.insert(playUsers).values({ id: fan, spotifyUserId: `sp-${fan}`, accessTokenSealed: "x", refreshTokenSealed: "x", accessTokenExpiresAt: now, consentedAt: now, scopes: "", createdAt: now, updatedAt: now });
  consenting.add(fan);
  const id = newId("event", now);
  const ctx = t.runtime.ctxFor({ kind: "system" });
  await db.transaction(async (tx) => {
    await tx.insert(engagementEvents).values({ id, type, occurredAt: now, artistId, smartLinkId: null, playUserId: fan, context, detail: clickIds ? { clickIds } : {} });
    await enqueueConversions({ ctx: { ...ctx, db: tx }, input: { events: [{ id, type, artistId, playUserId: fan, occurredAt: now, detail: clickIds ? { clickIds } : {} }] } });
  });
  return id;
}

async function deliver(destinationId: string) {
  return deliverConversions({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { destinationId } });
}

async function auditActions(artistId: string): Promise<string[]> {
  const rows = await t.runtime.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.artistId, artistId)).orderBy(auditLog.id);
  return rows.map((r) => r.action);
}

const tokens = [META_TOKEN, REDDIT_TOKEN, GOOGLE_TOKEN, "new-meta-token-9876543210-SECRET"];
function expectNoSecret(body: unknown) {
  const text = JSON.stringify(body);
  for (const token of tokens) expect(text).not.toContain(token);
  // Not even a long slice of one.
  for (const token of tokens) expect(text).not.toContain(token.slice(0, 12));
}

describe("/api/v1 conversions", () => {
  it("destinations: create, list, change, disable; the token is write-only (last 4 at most), sealed at rest, audited without it", async () => {
    const w = await world();
    const created = await w.alice.call("POST", `/artists/${w.artistId}/conversions/destinations`, { ...META, testCode: "TEST123" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ platform: "meta", accountId: META_PIXEL, testCode: "TEST123", enabled: true, conversionActionId: null, accessToken: { set: true, last4: "CRET" } });
    expectNoSecret(created.body);
    const google = await w.alice.call("POST", `/artists/${w.artistId}/conversions/destinations`, { platform: "google", accountId: GOOGLE_ACCOUNT, conversionActionId: GOOGLE_ACTION, accessToken: GOOGLE_TOKEN });
    expect(google.status).toBe(201);
    await addDestination(w.alice, w.artistId, REDDIT);

    const list = await w.alice.call("GET", `/artists/${w.artistId}/conversions/destinations`);
    expect((list.body.data as Json[]).map((d) => d.platform)).toEqual(["meta", "google", "reddit"]);
    expectNoSecret(list.body);
    // Stored sealed, bound to its row.
    const [stored] = await t.runtime.database.db.select().from(conversionDestinations).where(eq(conversionDestinations.id, created.body.id as string));
    expect(stored!.accessTokenSealed).not.toContain(META_TOKEN);
    expect(stored!.accessTokenSealed).toMatch(/^v1\./);

    // A second Meta destination for the same artist: 409, nothing changes.
    const again = await w.alice.call("POST", `/artists/${w.artistId}/conversions/destinations`, { ...META, accountId: "99999999" });
    expect([again.status, again.body.error?.code]).toEqual([409, "CONFLICT"]);

    const patched = await w.alice.call("PATCH", `/artists/${w.artistId}/conversions/destinations/${created.body.id}`, { accessToken: "new-meta-token-9876543210-SECRET", testCode: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ testCode: null, accessToken: { set: true, last4: "CRET" }, accountId: META_PIXEL });
    expectNoSecret(patched.body);
    const disabled = await w.alice.call("PATCH", `/artists/${w.artistId}/conversions/destinations/${created.body.id}`, { enabled: false });
    expect(disabled.body.enabled).toBe(false);
    // Nothing new is queued for a disabled destination.
    await addEvent(w.artistId, "SAVE_TRACK");
    const queued = await t.runtime.database.db.select({ platform: conversionOutbox.platform }).from(conversionOutbox).where(eq(conversionOutbox.artistId, w.artistId));
    expect(queued.map((r) => r.platform).sort()).toEqual(["google", "reddit"]);
    // The same change again writes nothing.
    const before = (await auditActions(w.artistId)).length;
    const same = await w.alice.call("PATCH", `/artists/${w.artistId}/conversions/destinations/${created.body.id}`, { enabled: false });
    expect(same.body.updatedAt).toBe(disabled.body.updatedAt);
    expect(await auditActions(w.artistId)).toHaveLength(before);

    const actions = await auditActions(w.artistId);
    expect(actions.filter((a) => a.startsWith("conversion_destination."))).toEqual(["conversion_destination.create", "conversion_destination.create", "conversion_destination.create", "conversion_destination.update", "conversion_destination.update"]);
    const log = await w.alice.call("GET", `/artists/${w.artistId}/audit-log`);
    expectNoSecret(log.body);
    const tokenChange = (log.body.data as Json[]).find((e) => e.action === "conversion_destination.update" && (e.metadata as { changed: string[] }).changed.includes("accessToken"));
    expect(tokenChange?.metadata).toEqual({ platform: "meta", changed: ["testCode", "accessToken"], testCode: null });
    expect((await w.alice.call("GET", `/artists/${w.artistId}/conversions/destinations`)).body.data).toEqual(expect.arrayContaining([expect.objectContaining({ platform: "meta", enabled: false })]));
  }, 60_000);

  it("P05: another tenant's artist, destination or delivery answers 404 on every conversions route, for users and keys; nothing changes", async () => {
    const w = await world();
    const metaId = await addDestination(w.alice, w.artistId, META);
    await addEvent(w.artistId, "SAVE_TRACK");
    await deliver(metaId);
    const deliveryId = ((await w.alice.call("GET", `/artists/${w.artistId}/conversions/deliveries`)).body.data as Json[])[0]!.id as string;
    const bobKey = await w.key(w.bob, w.bobOrgId, ["read", "conversions.write"]);
    const base = `/artists/${w.artistId}/conversions`;
    const probes: [string, string, unknown?][] = [
      ["GET", `${base}/destinations`],
      ["POST", `${base}/destinations`, REDDIT],
      ["PATCH", `${base}/destinations/${metaId}`, { enabled: false }],
      ["POST", `${base}/destinations/${metaId}/test`, {}],
      ["GET", `${base}/mappings`],
      ["PUT", `${base}/mappings/meta/SAVE_TRACK`, { enabled: false }],
      ["GET", `${base}/deliveries`],
      ["GET", `${base}/deliveries/${deliveryId}`],
      ["GET", `${base}/health`],
    ];
    for (const [method, path, body] of probes) {
      const asBob = await w.bob.call(method, path, body);
      expect([method, path, asBob.status, asBob.body.error?.code]).toEqual([method, path, 404, "NOT_FOUND"]);
      expect([method, path, (await bobKey.call(method, path, body)).status]).toEqual([method, path, 404]);
    }
    // Bob's own artist with Alice's destination / delivery ids: 404 too.
    await addDestination(w.bob, w.bobArtistId, META);
    const own = `/artists/${w.bobArtistId}/conversions`;
    expect((await w.bob.call("PATCH", `${own}/destinations/${metaId}`, { enabled: false })).status).toBe(404);
    expect((await w.bob.call("POST", `${own}/destinations/${metaId}/test`, {})).status).toBe(404);
    expect((await w.bob.call("GET", `${own}/deliveries/${deliveryId}`)).status).toBe(404);
    expect((await w.bob.call("GET", `${own}/deliveries?destinationId=${metaId}`)).body.data).toEqual([]);

    const dests = await t.runtime.database.db.select({ artistId: conversionDestinations.artistId, enabled: conversionDestinations.enabled }).from(conversionDestinations);
    expect(dests.filter((d) => d.artistId === w.artistId)).toEqual([{ artistId: w.artistId, enabled: true }]);
    expect(await t.runtime.database.db.select().from(conversionEventMappings)).toEqual([]);
    expect((await auditActions(w.artistId)).filter((a) => a.startsWith("conversion"))).toEqual(["conversion_destination.create"]);
  }, 60_000);

  it("viewers read and cannot write (403); editors set the mapping and test but not destinations; API keys need read / conversions.write", async () => {
    const w = await world();
    const metaId = await addDestination(w.alice, w.artistId, { ...META, testCode: "TEST1" });
    const viewer = await newUser(t, "Vera");
    const editor = await newUser(t, "Ed");
    await join(t, w.alice, `/organizations/${w.orgId}`, viewer, "viewer");
    await join(t, w.alice, `/organizations/${w.orgId}`, editor, "editor");
    const base = `/artists/${w.artistId}/conversions`;
    for (const path of ["/destinations", "/mappings", "/deliveries", "/health"]) expect([path, (await viewer.call("GET", base + path)).status]).toEqual([path, 200]);
    const writes: [string, string, unknown][] = [
      ["POST", "/destinations", REDDIT],
      ["PATCH", `/destinations/${metaId}`, { enabled: false }],
      ["PUT", "/mappings/meta/SAVE_TRACK", { eventName: "SaveTrack" }],
      ["POST", `/destinations/${metaId}/test`, {}],
    ];
    for (const [method, path, body] of writes) {
      const res = await viewer.call(method, base + path, body);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, "FORBIDDEN"]);
    }
    // Editors: mapping and test events yes, destinations (credentials) no.
    expect((await editor.call("POST", `${base}/destinations`, REDDIT)).status).toBe(403);
    expect((await editor.call("PATCH", `${base}/destinations/${metaId}`, { enabled: false })).status).toBe(403);
    expect((await editor.call("PUT", `${base}/mappings/meta/SAVE_TRACK`, { eventName: "SaveTrack" })).status).toBe(200);
    expect((await editor.call("POST", `${base}/destinations/${metaId}/test`, {})).status).toBe(200);

    const reader = await w.key(w.alice, w.orgId, ["read"]);
    const writerNoRead = await w.key(w.alice, w.orgId, ["conversions.write"]);
    const artistsWriter = await w.key(w.alice, w.orgId, ["read", "artists.write"]);
    const writer = await w.key(w.alice, w.orgId, ["read", "conversions.write"]);
    expect((await reader.call("GET", `${base}/deliveries`)).status).toBe(200);
    expect((await reader.call("PUT", `${base}/mappings/meta/SAVE_TRACK`, { enabled: false })).status).toBe(403);
    expect((await artistsWriter.call("POST", `${base}/destinations`, REDDIT)).status).toBe(403);
    expect((await writerNoRead.call("GET", `${base}/destinations`)).status).toBe(403);
    const byKey = await writer.call("POST", `${base}/destinations`, REDDIT);
    expect(byKey.status).toBe(201);
    expectNoSecret(byKey.body);
    expect((await writer.call("PUT", `${base}/mappings/reddit/STREAM`, { enabled: false })).status).toBe(200);
    const audit = await t.runtime.database.db.select({ action: auditLog.action, actorKind: auditLog.actorKind }).from(auditLog).where(eq(auditLog.artistId, w.artistId));
    expect(audit.filter((a) => a.actorKind === "api_key").map((a) => a.action).sort()).toEqual(["conversion_destination.create", "conversion_mapping.update"]);
  }, 60_000);

  it("bad input answers 400 naming the field and changes nothing", async () => {
    const w = await world();
    const metaId = await addDestination(w.alice, w.artistId, META);
    const base = `/artists/${w.artistId}/conversions`;
    const cases: [string, string, unknown, string][] = [
      ["POST", "/destinations", { ...META, platform: "tiktok" }, "platform"],
      ["POST", "/destinations", { ...REDDIT, accessToken: "short" }, "accessToken"],
      ["POST", "/destinations", { ...REDDIT, accessToken: "has spaces in the token" }, "accessToken"],
      ["POST", "/destinations", { platform: "google", accountId: "123-456-7890", conversionActionId: GOOGLE_ACTION, accessToken: GOOGLE_TOKEN }, "accountId"],
      ["POST", "/destinations", { platform: "google", accountId: GOOGLE_ACCOUNT, accessToken: GOOGLE_TOKEN }, "conversionActionId"],
      ["POST", "/destinations", { ...REDDIT, testCode: "bad code!" }, "testCode"],
      ["POST", "/destinations", { ...REDDIT, accountId: 42 }, "accountId"],
      ["PATCH", `/destinations/${metaId}`, { accountId: "pixel" }, "accountId"],
      ["PATCH", `/destinations/${metaId}`, { platform: "reddit" }, "platform"],
      ["PATCH", `/destinations/${metaId}`, { enabled: "no" }, "enabled"],
      ["PATCH", `/destinations/${metaId}`, { conversionActionId: "123" }, "conversionActionId"],
      ["PUT", "/mappings/meta/VIEW", { enabled: false }, "eventType"],
      ["PUT", "/mappings/tiktok/SAVE_TRACK", { enabled: false }, "platform"],
      ["PUT", "/mappings/meta/SAVE_TRACK", { valueMinor: 150 }, "currency"],
      ["PUT", "/mappings/meta/SAVE_TRACK", { valueMinor: 1.5, currency: "EUR" }, "valueMinor"],
      ["PUT", "/mappings/meta/SAVE_TRACK", { eventName: "Save<script>" }, "eventName"],
      ["POST", `/destinations/${metaId}/test`, {}, "testCode"],
      ["GET", "/deliveries?status=lost", undefined, "status"],
      ["GET", "/deliveries?eventType=VIEW", undefined, "eventType"],
      ["GET", "/deliveries?limit=0", undefined, "limit"],
      ["GET", "/deliveries?cursor=nope", undefined, "cursor"],
      ["GET", "/health?from=2026-11-01", undefined, "to"],
      ["GET", "/health?from=2026-11-31&to=2026-12-01", undefined, "from"],
      ["GET", "/health?from=2026-11-10&to=2026-11-01", undefined, "to"],
      ["GET", "/health?from=2024-01-01&to=2026-11-01", undefined, "to"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await w.alice.call(method, base + path, body);
      expect([method, path, res.status, res.body.error?.details?.[0]?.field]).toEqual([method, path, 400, field]);
    }
    const dests = await t.runtime.database.db.select({ platform: conversionDestinations.platform, accountId: conversionDestinations.accountId, enabled: conversionDestinations.enabled, testCode: conversionDestinations.testCode }).from(conversionDestinations);
    expect(dests).toEqual([{ platform: "meta", accountId: META_PIXEL, enabled: true, testCode: null }]);
    expect(await t.runtime.database.db.select().from(conversionEventMappings)).toEqual([]);
    expect((await auditActions(w.artistId)).filter((a) => a.startsWith("conversion"))).toEqual(["conversion_destination.create"]);
  }, 60_000);

  it("Idempotency-Key: a retried create answers the first result once; the same key with another body is 409", async () => {
    const w = await world();
    const path = `/artists/${w.artistId}/conversions/destinations`;
    const first = await w.alice.call("POST", path, META, { "Idempotency-Key": "dest-1" });
    const replay = await w.alice.call("POST", path, META, { "Idempotency-Key": "dest-1" });
    expect(first.status).toBe(201);
    expect([replay.status, replay.headers.get("idempotent-replayed"), replay.body.id]).toEqual([201, "true", first.body.id]);
    expectNoSecret(replay.body);
    expect((await w.alice.call("POST", path, REDDIT, { "Idempotency-Key": "dest-1" })).status).toBe(409);
    expect(await t.runtime.database.db.select({ id: conversionDestinations.id }).from(conversionDestinations)).toHaveLength(1);
    expect((await auditActions(w.artistId)).filter((a) => a === "conversion_destination.create")).toHaveLength(1);
    // The stored replay holds no token either.
    const stored = await t.runtime.database.db.execute<{ response_body: string }>(`select response_body from idempotency_keys where key = 'dest-1'` as never);
    expect(JSON.stringify(stored.rows)).not.toContain(META_TOKEN);
    // Mapping PUT is idempotent by nature: the same body twice is one audit entry.
    const mapping = `/artists/${w.artistId}/conversions/mappings/meta/SAVE_TRACK`;
    const body = { eventName: "SaveTrack", valueMinor: 150, currency: "EUR" };
    expect((await w.alice.call("PUT", mapping, body)).body).toEqual({ platform: "meta", eventType: "SAVE_TRACK", eventName: "SaveTrack", enabled: true, valueMinor: 150, currency: "EUR" });
    await w.alice.call("PUT", mapping, body);
    expect((await auditActions(w.artistId)).filter((a) => a === "conversion_mapping.update")).toHaveLength(1);
    const mappings = (await w.alice.call("GET", `/artists/${w.artistId}/conversions/mappings`)).body.data as Json[];
    expect(mappings).toHaveLength(15);
    expect(mappings.find((m) => m.platform === "meta" && m.eventType === "SAVE_TRACK")).toMatchObject({ defaultEventName: "Subscribe", eventName: "SaveTrack", valueMinor: 150, currency: "EUR", overridden: true });
    expect(mappings.find((m) => m.platform === "reddit" && m.eventType === "PRESAVE")).toMatchObject({ defaultEventName: "Lead", eventName: null, enabled: true, overridden: false });
  }, 60_000);

  it("delivery log: newest first, cursor pages, filters; detail with every attempt and the platform's response; health per destination over a range", async () => {
    const w = await world();
    const metaId = await addDestination(w.alice, w.artistId, META);
    const redditId = await addDestination(w.alice, w.artistId, REDDIT);
    const events: string[] = [];
    for (const type of ["SAVE_TRACK", "FOLLOW_ARTIST", "PRESAVE"]) {
      events.push(await addEvent(w.artistId, type));
      t.clock.advance(1000);
    }
    events.push(await addEvent(w.artistId, "SAVE_TRACK", null)); // no click id → no outbox row at all
    // Meta is rate limited once, then accepts; Reddit accepts.
    const emu = t.runtime.conversionEmulators!;
    emu.meta.control.injectFault({ status: 429, retryAfterSeconds: 60 });
    await deliver(metaId);
    await deliver(redditId);
    t.clock.advance(61_000);
    await deliver(metaId);
    // Another tenant's rows never show.
    await addDestination(w.bob, w.bobArtistId, META);
    await addEvent(w.bobArtistId, "SAVE_TRACK");

    const base = `/artists/${w.artistId}/conversions`;
    const all: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await w.alice.call("GET", `${base}/deliveries?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      all.push(...(res.body.data as Json[]));
      cursor = res.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(all).toHaveLength(6);
    expect(new Set(all.map((d) => d.id)).size).toBe(6);
    expect(all.map((d) => d.eventId)).toEqual([events[2], events[2], events[1], events[1], events[0], events[0]]);
    expect(all.every((d) => d.destinationId === metaId || d.destinationId === redditId)).toBe(true);

    const dropped = await w.alice.call("GET", `${base}/deliveries?status=dropped`);
    expect(dropped.body.data).toEqual([]);
    const metaSaves = await w.alice.call("GET", `${base}/deliveries?destinationId=${metaId}&eventType=SAVE_TRACK&status=delivered`);
    expect((metaSaves.body.data as Json[]).map((d) => [d.eventId, d.attempts, d.matchKeys])).toEqual([[events[0], 2, ["external_id", "fbc", "fbp"]]]);

    const detail = await w.alice.call("GET", `${base}/deliveries/${(metaSaves.body.data as Json[])[0]!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: "delivered", eventType: "SAVE_TRACK", platform: "meta", attempts: 2 });
    const attemptLog = detail.body.attemptLog as Json[];
    expect(attemptLog.map((a) => [a.status, a.httpStatus])).toEqual([
      ["retry", 429],
      ["accepted", 200],
    ]);
    // The platform's answer is kept where it explains something (the 429), not for plain acceptance.
    expect(String(attemptLog[0]!.responseExcerpt).length).toBeGreaterThan(0);
    expect(attemptLog[1]!.responseExcerpt).toBeNull();
    expect(attemptLog[1]!.durationMs).toBeNull(); // read off the delivered row (no attempts row for an accepted send)
    expect(new Date(attemptLog[1]!.attemptedAt as string).getTime()).toBeGreaterThan(new Date(attemptLog[0]!.attemptedAt as string).getTime());
    expectNoSecret(detail.body);

    const health = await w.alice.call("GET", `${base}/health?from=2026-11-29&to=2026-11-29`);
    expect(health.body).toMatchObject({ from: "2026-11-29", to: "2026-11-29" });
    expect((health.body.data as Json[]).map((h) => [h.platform, h.delivered, h.rejected, h.dropped, h.pending, h.deduplicated, h.matchKeys, h.reasons])).toEqual([
      ["meta", 3, 0, 0, 0, 0, { fbc: 3, fbp: 3, external_id: 3 }, {}],
      ["reddit", 3, 0, 0, 0, 0, { rdt_cid: 3, external_id: 3 }, {}],
    ]);
    // Another range holds nothing; no range = all time.
    expect(((await w.alice.call("GET", `${base}/health?from=2026-11-01&to=2026-11-28`)).body.data as Json[]).map((h) => h.delivered)).toEqual([0, 0]);
    expect(((await w.alice.call("GET", `${base}/health`)).body.data as Json[]).map((h) => h.delivered)).toEqual([3, 3]);

    // The answers match the published schemas.
    const doc = (await (await t.app.request(`${t.config.publicUrl}/api/v1/openapi.json`)).json()) as { components: object; paths: Record<string, object> };
    expect(Object.keys(doc.paths).filter((p) => p.includes("/conversions/")).sort()).toEqual([
      "/artists/{artistId}/conversions/deliveries",
      "/artists/{artistId}/conversions/deliveries/{deliveryId}",
      "/artists/{artistId}/conversions/destinations",
      "/artists/{artistId}/conversions/destinations/{destinationId}",
      "/artists/{artistId}/conversions/destinations/{destinationId}/test",
      "/artists/{artistId}/conversions/health",
      "/artists/{artistId}/conversions/mappings",
      "/artists/{artistId}/conversions/mappings/{platform}/{eventType}",
    ]);
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: "backbeat", components: doc.components });
    for (const [schema, body] of [
      ["ConversionDeliveryDetail", detail.body],
      ["ConversionHealth", health.body],
      ["ConversionDeliveryPage", metaSaves.body],
      ["ConversionDestinationList", (await w.alice.call("GET", `${base}/destinations`)).body],
      ["ConversionMappingList", (await w.alice.call("GET", `${base}/mappings`)).body],
    ] as const) {
      const validate = ajv.getSchema(`backbeat#/components/schemas/${schema}`)!;
      expect([schema, validate(body), validate.errors ?? null]).toEqual([schema, true, null]);
    }
  }, 60_000);

  it("test event: sent in the platform's test mode with the mapped name, nothing queued, audited", async () => {
    const w = await world();
    const metaId = await addDestination(w.alice, w.artistId, { ...META, testCode: "TEST4242" });
    await w.alice.call("PUT", `/artists/${w.artistId}/conversions/mappings/meta/SAVE_TRACK`, { eventName: "SaveTrack" });
    const res = await w.alice.call("POST", `/artists/${w.artistId}/conversions/destinations/${metaId}/test`, { eventType: "SAVE_TRACK" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "accepted", eventName: "SaveTrack", httpStatus: 200, reason: null });
    expect(res.body.eventId).toMatch(/^tst_/);
    expectNoSecret(res.body);
    const sent = t.runtime.conversionEmulators!.meta.control.events(META_PIXEL);
    expect(sent.map((e) => [e.eventName, e.eventId, e.testEventCode])).toEqual([["SaveTrack", res.body.eventId, "TEST4242"]]);
    expect(await t.runtime.database.db.select({ id: conversionOutbox.id }).from(conversionOutbox)).toEqual([]);
    expect((await auditActions(w.artistId)).at(-1)).toBe("conversion_destination.test");
    // A wrong token comes back as the platform's refusal, not a server error.
    await w.alice.call("PATCH", `/artists/${w.artistId}/conversions/destinations/${metaId}`, { accessToken: "wrong-token-0000000000" });
    const refused = await w.alice.call("POST", `/artists/${w.artistId}/conversions/destinations/${metaId}/test`, {});
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: "rejected", httpStatus: 400 });
    expect(refused.body.responseExcerpt).not.toContain("wrong-token");
  }, 60_000);
});
