/**
 * Fan-sync CPU cost (issue 4): CPU milliseconds (process.cpuUsage, user + system, whole
 * process) per fan synced by `attribution.sync-fan`, against the in-process Spotify
 * emulator (zero network latency) — whose own request handling is counted too, as is, on
 * embedded PGlite (it runs in this process), the database's query CPU (on PostgreSQL that
 * part moves to the database server). Fans are synced the way a worker syncs them:
 * `syncFans` with the batch a worker fetches per poll (`JOB_BATCH_SIZES`, 50), fans
 * concurrent within a batch; every fan is a real HTTP exchange through the Spotify client
 * (token refresh, recently played) and real database writes (STREAM rows, cursor, tokens).
 * Not counted: pg-boss's fetch / complete of the jobs (one statement each per batch).
 * Baseline, measured in the same run over the same fans: only reading each batch's fan
 * rows (Play user + sync state), one statement a batch.
 *
 * Each fan: AUTH, SAVE_TRACK and FOLLOW_ARTIST through one smart link, 12 plays (album
 * tracks, repeats, a local file, an unrelated track). The first sync reads recently played,
 * checks the album and the artist and writes 10 STREAM events, the retention rows and the
 * cursor. The measured figure is the steady state an hour later: ten new plays, a token
 * refresh (access tokens last one hour), 10 STREAM events and the cursor.
 *
 * With `BENCH_DATABASE_URL` (an admin URL of a PostgreSQL server) the same run is made on a
 * fresh database there (dropped afterwards): then only Backbeat's own CPU is counted, which
 * is what a worker node spends.
 *
 * Prints one JSON line `{ entries: [...] }` on stdout (read by bench/run.ts).
 * Usage: `node --import tsx bench/fan-sync.ts [fans] [pglite|postgres]` (default 400, pglite).
 */
import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import pg from "pg";
import { parseConfig } from "../src/config";
import { engagementEvents, fanSyncStates, playUsers } from "../src/db/schema/index";
import { createFakeClock } from "../src/lib/clock";
import { newId } from "../src/lib/ids";
import { createLogger } from "../src/lib/logger";
import { JOB_BATCH_SIZES } from "../src/jobs/register-jobs";
import { syncFans, type SyncFanResult } from "../src/modules/attribution/index";
import { createSmartLink } from "../src/modules/play/index";
import { upsertPlayUser } from "../src/modules/play/upsert-play-user";
import { createPkcePair } from "../src/providers/spotify/client/index";
import { createRuntime } from "../src/runtime";

const FANS = Number(process.argv[2] ?? 400);
const ENGINE = process.argv[3] === "postgres" ? "postgres" : "pglite";
const WARMUP = 100;
/** Fans per sync call: what a worker hands `syncFans` per poll (JOB_BATCH_SIZES). */
const BATCH = JOB_BATCH_SIZES["attribution.sync-fan"] ?? 1;
const ALBUM = "4aawyAB9vmqN3uQ7FjRGTy";
const TRACKS = ["6OmhkSOpvYBokMKQxpIGx2", "2iblMMIgSznA464mNov7A8", "4yOn1TEcfsKHUJCL2h1r8I", "7fmpKF0rLGPnP7kcQ5ZMm7", "3jStb2imKd6oUoBT1zq5lp"];
const SCOPES = ["user-read-private", "user-library-read", "user-library-modify", "user-follow-read", "user-follow-modify", "user-read-recently-played", "user-read-playback-state", "user-modify-playback-state"];
const MIN = 60_000;

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function freshDatabase(admin: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bb_bench_${randomBytes(6).toString("hex")}`;
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(text);
    await client.end();
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

async function main(): Promise<void> {
  const admin = process.env.BENCH_DATABASE_URL;
  if (ENGINE === "postgres" && !admin) throw new Error("postgres engine needs BENCH_DATABASE_URL");
  const database = ENGINE === "postgres" ? await freshDatabase(admin!) : null;
  const clock = createFakeClock("2026-11-29T12:00:00Z");
  const config = parseConfig({
    NODE_ENV: "test",
    PUBLIC_URL: "http://127.0.0.1:39417",
    BACKBEAT_DATA_DIR: ":memory:",
    BACKBEAT_KEY_RING: `bench:${randomBytes(32).toString("base64")}`,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    VISITOR_HASH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "silent",
    EVENT_FLUSH_MS: "60000",
    FAN_SYNC_RATE_PER_SECOND: "10000",
    FAN_SYNC_RATE_BURST: "100000",
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const runtime = await createRuntime(config, { clock, logger: createLogger({ level: "silent" }) });
  try {
    const ctx = runtime.ctxFor({ kind: "system" });
    const control = runtime.spotifyEmulator!.control;
    const created = await createSmartLink({ ctx, input: { spotifyUrl: `https://open.spotify.com/album/${ALBUM}` } });
    if (created.kind !== "smart_link") throw new Error("expected a smart link");
    const link = created.link;
    const t0 = clock.now().getTime();
    const context = { path: `/${created.artist.slug}/${link.slug}`, utm: { source: "ig", campaign: "launch" }, referrerHost: "l.instagram.com", clickIds: [], country: "PT", deviceClass: "mobile" as const, inAppBrowser: null, locale: "pt-PT" };

    const ids: string[] = [];
    for (let i = 0; i < FANS + WARMUP; i++) {
      const fan = control.createFan({ displayName: `Bench ${i}`, country: "PT", product: "premium" });
      const pkce = createPkcePair();
      const { code } = control.authorizeFan({ fanId: fan.id, scopes: SCOPES, codeChallenge: pkce.challenge });
      const tokens = await runtime.music.accounts.exchangeCode({ code, codeVerifier: pkce.verifier });
      const user = await upsertPlayUser({ ctx, input: { profile: { id: fan.id, displayName: fan.displayName, country: "PT", product: "premium" }, tokens } });
      const base = { artistId: link.artistId, smartLinkId: link.id, playUserId: user.id, visitorHash: null, context, occurredAt: new Date(t0) };
      await runtime.database.db.insert(engagementEvents).values([
        { ...base, id: newId("event"), type: "AUTH", detail: { action: "save" } },
        { ...base, id: newId("event"), type: "SAVE_TRACK", detail: { uri: `spotify:album:${ALBUM}` } },
        { ...base, id: newId("event"), type: "FOLLOW_ARTIST", detail: { uri: "spotify:artist:0TnOYISbd1XYRBk9myaseg" } },
      ]);
      for (let p = 0; p < 10; p++) control.recordPlay(fan.id, TRACKS[p % TRACKS.length]!, new Date(t0 + (p + 1) * 4 * MIN));
      control.recordPlay(fan.id, null, new Date(t0 + 45 * MIN), { localName: "demo.mp3" });
      control.recordPlay(fan.id, "11dFghVXANMlKmJXsNCbNl", new Date(t0 + 50 * MIN));
      ids.push(user.id);
    }
    clock.advance(60 * MIN);
    control.clearRequests();

    const batches = (list: string[]): string[][] => Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH));
    const sync = async (list: string[]): Promise<SyncFanResult[]> => {
      const results: SyncFanResult[] = [];
      for (const batch of batches(list)) {
        for (const entry of await syncFans({ ctx, input: { playUserIds: batch } })) {
          if ("error" in entry) throw entry.error;
          results.push(entry.result);
        }
      }
      return results;
    };
    // Warm-up (JIT, prepared plans), not measured.
    await sync(ids.slice(0, WARMUP));
    const measured = ids.slice(WARMUP);

    // Baseline: reading each batch's fan rows (Play user + sync state), one statement a batch.
    const start = process.cpuUsage();
    for (const batch of batches(measured)) {
      await runtime.database.db.select().from(playUsers).leftJoin(fanSyncStates, eq(fanSyncStates.playUserId, playUsers.id)).where(inArray(playUsers.id, batch));
    }
    const baselineMs = cpuMs(start) / measured.length;

    // First sync of each fan (also checks the saved album and followed artist).
    const syncAll = async (label: string): Promise<{ cpu: number; wall: number }> => {
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      const results = await sync(measured);
      const cpu = cpuMs(cpuStart) / measured.length;
      const wall = (performance.now() - wallStart) / measured.length;
      const notSynced = results.find((r) => r.outcome !== "synced");
      if (notSynced) throw new Error(`${label}: ${notSynced.outcome}`);
      const streams = results.reduce((sum, r) => sum + r.streams, 0);
      if (results.length !== measured.length || streams !== measured.length * 10) throw new Error(`${label}: expected ${measured.length * 10} streams, got ${streams}`);
      return { cpu, wall };
    };
    const first = await syncAll("first sync");
    // The steady state: an hour later, ten new plays each; the access token (one hour) is
    // refreshed, saved state is not re-checked (daily).
    const t1 = clock.now().getTime();
    for (const id of ids) {
      const [user] = await runtime.database.db.select({ spotifyUserId: playUsers.spotifyUserId }).from(playUsers).where(eq(playUsers.id, id));
      for (let p = 0; p < 10; p++) control.recordPlay(user!.spotifyUserId, TRACKS[p % TRACKS.length]!, new Date(t1 + (p + 1) * 4 * MIN));
    }
    clock.advance(60 * MIN);
    await sync(ids.slice(0, WARMUP));
    const hourly = await syncAll("hourly sync");
    const syncMs = hourly.cpu;
    const wallMs = hourly.wall;

    const round = (n: number) => Math.round(n * 100) / 100;
    const entries = [
      {
        name: `fan_sync_cpu_per_fan_${ENGINE}`,
        value: round(syncMs),
        unit: "ms CPU/fan",
        baseline: round(baselineMs),
        ratio: round(syncMs / baselineMs),
        target: ENGINE === "pglite" ? "<= 2 ms (database CPU counted: PGlite runs in-process)" : "<= 2 ms (worker CPU; database in its own process)",
      },
      { name: `fan_sync_first_cpu_per_fan_${ENGINE}`, value: round(first.cpu), unit: "ms CPU/fan", baseline: round(baselineMs), ratio: round(first.cpu / baselineMs), target: "info (first sync: + saved-state check)" },
      { name: `fan_sync_wall_per_fan_${ENGINE}`, value: round(wallMs), unit: "ms/fan", baseline: null, ratio: null, target: `info (${measured.length} fans, ${BATCH} per batch, concurrent within a batch)` },
    ];
    process.stdout.write(`${JSON.stringify({ fans: measured.length, entries })}\n`);
  } finally {
    await runtime.close();
    await database?.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
