/**
 * Conversion delivery throughput (issue 5): outbox rows delivered per second from the
 * outbox to the in-process emulators (Meta CAPI, Google Data Manager, Reddit v3), batched
 * (`CONVERSIONS_BATCH_SIZE`, default 1000), on embedded PGlite — beside the baseline, the
 * rate of writing the same outbox rows without delivering them (`enqueueConversions` over
 * the same events, as the event writers call it). Target ≥ 5 000 events/s.
 *
 * Setup: one artist with the three destinations, `fans` consenting fans, each with SAVE_TRACK,
 * FOLLOW_ARTIST and STREAM events carrying fbc / gclid / rdt_cid → 9 outbox rows per fan.
 * Delivery includes what production does per row: consent check (an in-memory gate here;
 * the real gate is a query per distinct fan per batch), mapping, hashing the external id,
 * JSON over the in-process fetch, the emulators' validation, outcome updates and one
 * `conversion_attempts` row per delivered row, opening the sealed client IP / user agent
 * (SAVE_TRACK and FOLLOW_ARTIST carry them; STREAM has no request) and clearing them.
 *
 * Prints one JSON line `{ entries: [...] }` (read by bench/run.ts).
 * Usage: `node --import tsx bench/conversions.ts [fans]` (default 2000).
 */
import { randomBytes } from "node:crypto";
import { parseConfig } from "../src/config";
import { artists, engagementEvents, playUsers, type LandingContext } from "../src/db/schema/index";
import { createFakeClock } from "../src/lib/clock";
import { newId } from "../src/lib/ids";
import { createLogger } from "../src/lib/logger";
import { deliverConversions, enqueueConversions, upsertConversionDestination } from "../src/modules/conversions/index";
import { createRuntime } from "../src/runtime";

const FANS = Number(process.argv[2] ?? 2000);

async function main(): Promise<void> {
  const clock = createFakeClock("2026-11-29T12:00:00Z");
  const config = parseConfig({
    NODE_ENV: "test",
    PUBLIC_URL: "http://127.0.0.1:39418",
    BACKBEAT_DATA_DIR: ":memory:",
    BACKBEAT_KEY_RING: `bench:${randomBytes(32).toString("base64")}`,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    VISITOR_HASH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "silent",
    EVENT_FLUSH_MS: "60000",
  });
  const fans = new Set<string>();
  const runtime = await createRuntime(config, { clock, logger: createLogger({ level: "silent" }), consentGate: { hasAdConsent: async ({ playUserId }) => Boolean(playUserId && fans.has(playUserId)) } });
  try {
    const db = runtime.database.db;
    const ctx = runtime.ctxFor({ kind: "system" });
    const now = clock.now();
    const artistId = newId("artist", now);
    await db.insert(artists).values({ id: artistId, slug: "bench-artist", name: "Bench", createdAt: now, updatedAt: now });
    const emu = runtime.conversionEmulators!;
    emu.meta.control.registerPixel({ pixelId: "1234567890123", accessToken: "meta-bench-token" });
    emu.google.control.registerAccount({ accountId: "1234567890", conversionActionIds: ["555"], accessToken: "google-bench-token" });
    emu.reddit.control.registerPixel({ pixelId: "a2_bench", accessToken: "reddit-bench-token" });
    const destinations = [
      await upsertConversionDestination({ ctx, input: { artistId, platform: "meta", accountId: "1234567890123", accessToken: "meta-bench-token" } }),
      await upsertConversionDestination({ ctx, input: { artistId, platform: "google", accountId: "1234567890", conversionActionId: "555", accessToken: "google-bench-token" } }),
      await upsertConversionDestination({ ctx, input: { artistId, platform: "reddit", accountId: "a2_bench", accessToken: "reddit-bench-token" } }),
    ];
    const context: LandingContext = { path: "/bench-artist/song", utm: {}, referrerHost: null, clickIds: ["fbclid", "gclid", "rdt_cid"], country: "PT", deviceClass: "mobile", inAppBrowser: null, locale: null };
    const userRows = [];
    const eventRows = [];
    for (let i = 0; i < FANS; i++) {
      const at = new Date(now.getTime() - 3_600_000 + i);
      const fan = newId("playUser", at);
      fans.add(fan);
      userRows.push({ id: fan, spotifyUserId: `bench-${i}`, accessTokenSealed: "x", refreshTokenSealed: "x", accessTokenExpiresAt: now, consentedAt: now, scopes: "", createdAt: now, updatedAt: now });
      const clickIds = { fbc: `fb.1.1764417600000.IwAR${i}`, fbp: `fb.1.1764417600000.${1000000 + i}`, gclid: `Cj0KCQiA_bench_${i}`, rdtCid: `rdtcidbench${i}` };
      for (const type of ["SAVE_TRACK", "FOLLOW_ARTIST", "STREAM"]) {
        eventRows.push({ id: newId("event", at), type, occurredAt: at, artistId, smartLinkId: null, playUserId: fan, context, detail: { clickIds, ...(type === "STREAM" ? { trackId: `t${i}` } : {}) } });
      }
    }
    for (let i = 0; i < userRows.length; i += 1000) await db.insert(playUsers).values(userRows.slice(i, i + 1000));
    for (let i = 0; i < eventRows.length; i += 1000) await db.insert(engagementEvents).values(eventRows.slice(i, i + 1000));

    // Baseline: writing the same outbox rows (what the event writers do in their
    // transactions: `enqueueConversions`, client IP / user agent sealed), no delivery.
    const t0 = performance.now();
    let enqueued = 0;
    for (let i = 0; i < eventRows.length; i += 1000) {
      const chunk = eventRows.slice(i, i + 1000);
      const adRequest = (j: number) => ({ ip: `203.0.${(i + j) % 250}.${j % 250}`, userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", consentSubject: null });
      const input = { events: chunk.map((e, j) => ({ ...e, adRequest: e.type === "STREAM" ? null : adRequest(j) })) };
      enqueued += (await db.transaction((tx) => enqueueConversions({ ctx: { ...ctx, db: tx }, input }))).enqueued;
    }
    const writeS = (performance.now() - t0) / 1000;

    const cpu = process.cpuUsage();
    const t1 = performance.now();
    let delivered = 0;
    for (const d of destinations) delivered += (await deliverConversions({ ctx, input: { destinationId: d.id } })).delivered;
    const deliverS = (performance.now() - t1) / 1000;
    const used = process.cpuUsage(cpu);
    const deliverCpuS = (used.user + used.system) / 1e6;
    const received = emu.meta.control.events().length + emu.google.control.events().length + emu.reddit.control.events().length;
    if (delivered !== enqueued || received !== enqueued) throw new Error(`delivered ${delivered}, received ${received}, enqueued ${enqueued}`);

    const writeRate = Math.round(enqueued / writeS);
    const deliverRate = Math.round(delivered / deliverS);
    const entries = [
      { name: "conversions_delivered_per_s", value: deliverRate, unit: "events/s", baseline: writeRate, ratio: Math.round((deliverRate / writeRate) * 100) / 100, target: ">= 5000 events/s (pglite)" },
      // Wall clock above is what a worker sees on this machine; CPU time shows the cost when
      // the process is not starved (PGlite runs in this thread, so its queries are included).
      { name: "conversions_delivered_per_cpu_s", value: Math.round(delivered / deliverCpuS), unit: "events/cpu-s", baseline: null, ratio: null, target: "info" },
      { name: "conversions_outbox_rows", value: enqueued, unit: "rows", baseline: null, ratio: null, target: `info (${FANS} fans × 3 events × 3 platforms)` },
    ];
    console.log(JSON.stringify({ entries }));
  } finally {
    await runtime.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
