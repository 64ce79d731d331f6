/**
 * Fan-sync CPU cost (issue 4): CPU milliseconds (process.cpuUsage, user + system) of the
 * Backbeat process alone per fan synced by `attribution.sync-fan`. Spotify is the emulator
 * (src/providers/spotify/emulator) in a child process (bench/serve-spotify-emulator.ts, a
 * Hono node server on 127.0.0.1 and a random port), reached over real HTTP with no added
 * latency by the real Spotify client (`SPOTIFY_ACCOUNTS_URL` / `SPOTIFY_API_URL` pointing at
 * it): Backbeat's socket, HTTP and JSON work is counted, Spotify's handling is not (in
 * production it is Spotify's CPU). The emulator process's CPU per fan is reported beside it
 * (its own process.cpuUsage, asked over IPC before and after). On embedded PGlite the
 * database's query CPU is counted too (it runs in the Backbeat process); on PostgreSQL that
 * part moves to the database server.
 *
 * Fans are synced the way a worker syncs them: `syncFans` with the batch a worker fetches
 * per poll (`JOB_BATCH_SIZES`, 50), fans concurrent within a batch; every fan is a real HTTP
 * exchange (token refresh, recently played) and real database writes (STREAM rows, cursor,
 * tokens). Not counted: pg-boss's fetch / complete of the jobs (one statement each per
 * batch). Baseline, measured in the same run over the same fans: only reading each batch's
 * fan rows (Play user + sync state), one statement a batch. Correctness is checked, not
 * assumed: every fan must come back `synced` with 10 streams, and the database must hold
 * exactly 10 new STREAM rows per fan after each sync, else the bench fails.
 *
 * Each fan: AUTH, SAVE_TRACK and FOLLOW_ARTIST through one smart link, 12 plays (album
 * tracks, repeats, a local file, an unrelated track). The first sync reads recently played,
 * checks the album and the artist and writes 10 STREAM events, the retention rows and the
 * cursor. The measured figure is the steady state an hour later (both processes' fake
 * clocks moved together): ten new plays, a token refresh (access tokens last one hour),
 * 10 STREAM events and the cursor.
 *
 * With `BENCH_DATABASE_URL` (an admin URL of a PostgreSQL server) the same run is made on a
 * fresh database there (dropped afterwards).
 *
 * Prints one JSON line `{ entries: [...] }` on stdout (read by bench/run.ts).
 * Usage: `node --import tsx bench/fan-sync.ts [fans] [pglite|postgres]` (default 400, pglite).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { and, count, eq, inArray } from "drizzle-orm";
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
import type { EmulatorCommand, EmulatorMessage, EmulatorPlay, EmulatorResults } from "./serve-spotify-emulator";

const FANS = Number(process.argv[2] ?? 400);
const ENGINE = process.argv[3] === "postgres" ? "postgres" : "pglite";
const WARMUP = 100;
/** Fans per sync call: what a worker hands `syncFans` per poll (JOB_BATCH_SIZES). */
const BATCH = JOB_BATCH_SIZES["attribution.sync-fan"] ?? 1;
const ALBUM = "4aawyAB9vmqN3uQ7FjRGTy";
const TRACKS = ["6OmhkSOpvYBokMKQxpIGx2", "2iblMMIgSznA464mNov7A8", "4yOn1TEcfsKHUJCL2h1r8I", "7fmpKF0rLGPnP7kcQ5ZMm7", "3jStb2imKd6oUoBT1zq5lp"];
const SCOPES = ["user-read-private", "user-library-read", "user-library-modify", "user-follow-read", "user-follow-modify", "user-read-recently-played", "user-read-playback-state", "user-modify-playback-state"];
const MIN = 60_000;
const START = "2026-11-29T12:00:00Z";
const PUBLIC_URL = "http://127.0.0.1:39417";
const CLIENT_ID = "backbeat-bench-client";
const CLIENT_SECRET = `bench-${randomBytes(16).toString("hex")}`;

/** Commands without their id: what `ask` sends to the emulator process. */
type Command = EmulatorCommand extends infer C ? (C extends { id: number } ? Omit<C, "id"> : never) : never;

interface EmulatorProcess {
  port: number;
  pid: number;
  ask<K extends Command["op"]>(command: Extract<Command, { op: K }>): Promise<EmulatorResults[K]>;
  /** CPU the emulator process has used so far, ms (user + system). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Forks bench/serve-spotify-emulator.ts and resolves once it listens. */
function startEmulatorProcess(): Promise<EmulatorProcess> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "serve-spotify-emulator.ts");
  const child: ChildProcess = fork(script, [CLIENT_ID, CLIENT_SECRET, `${PUBLIC_URL}/oauth/spotify/callback`, START], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let next = 0;
  let exited = false;
  const ask = <K extends Command["op"]>(command: Extract<Command, { op: K }>): Promise<EmulatorResults[K]> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...command, id });
    });
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      exited = true;
      const err = new Error(`emulator process exited with ${code}`);
      for (const p of pending.values()) p.reject(err);
      reject(err);
    });
    child.on("message", (message: EmulatorMessage) => {
      if (message.type === "ready") {
        resolve({
          port: message.port,
          pid: child.pid!,
          ask,
          cpuMs: async () => {
            const cpu = await ask({ op: "cpu" });
            return (cpu.user + cpu.system) / 1000;
          },
          stop: async () => {
            if (exited) return;
            const gone = new Promise((r) => child.once("exit", r));
            await ask({ op: "close" }).catch(() => undefined);
            await gone;
          },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.result);
      else waiter?.reject(new Error(message.error));
    });
  });
}

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
  const spotify = await startEmulatorProcess();
  const spotifyUrl = `http://127.0.0.1:${spotify.port}`;
  const clock = createFakeClock(START);
  /** Both clocks move together: Backbeat's and the emulator's. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await spotify.ask({ op: "advance", ms });
  };
  const config = parseConfig({
    NODE_ENV: "test",
    PUBLIC_URL,
    BACKBEAT_DATA_DIR: ":memory:",
    BACKBEAT_KEY_RING: `bench:${randomBytes(32).toString("base64")}`,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    VISITOR_HASH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "silent",
    EVENT_FLUSH_MS: "60000",
    FAN_SYNC_RATE_PER_SECOND: "10000",
    FAN_SYNC_RATE_BURST: "100000",
    // "Live" Spotify pointed at the emulator process: real sockets, the real client.
    SPOTIFY_CLIENT_ID: CLIENT_ID,
    SPOTIFY_CLIENT_SECRET: CLIENT_SECRET,
    SPOTIFY_ACCOUNTS_URL: spotifyUrl,
    SPOTIFY_API_URL: `${spotifyUrl}/v1`,
    SPOTIFY_QUOTA_MODE: "extended",
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const runtime = await createRuntime(config, { clock, logger: createLogger({ level: "silent" }) });
  try {
    if (runtime.spotifyEmulator) throw new Error("expected Spotify over HTTP, not the in-process emulator");
    const ctx = runtime.ctxFor({ kind: "system" });
    const created = await createSmartLink({ ctx, input: { spotifyUrl: `https://open.spotify.com/album/${ALBUM}` } });
    if (created.kind !== "smart_link") throw new Error("expected a smart link");
    const link = created.link;
    const t0 = clock.now().getTime();
    const context = { path: `/${created.artist.slug}/${link.slug}`, utm: { source: "ig", campaign: "launch" }, referrerHost: "l.instagram.com", clickIds: [], country: "PT", deviceClass: "mobile" as const, inAppBrowser: null, locale: "pt-PT" };

    const pkces = Array.from({ length: FANS + WARMUP }, () => createPkcePair());
    const fans = await spotify.ask({ op: "createFans", scopes: SCOPES, fans: pkces.map((pkce, i) => ({ displayName: `Bench ${i}`, codeChallenge: pkce.challenge })) });
    const ids: string[] = [];
    const plays: EmulatorPlay[] = [];
    for (const [i, fan] of fans.entries()) {
      const tokens = await runtime.music.accounts.exchangeCode({ code: fan.code, codeVerifier: pkces[i]!.verifier });
      const user = await upsertPlayUser({ ctx, input: { profile: { id: fan.fanId, displayName: fan.displayName, country: "PT", product: "premium" }, tokens } });
      const base = { artistId: link.artistId, smartLinkId: link.id, playUserId: user.id, visitorHash: null, context, occurredAt: new Date(t0) };
      await runtime.database.db.insert(engagementEvents).values([
        { ...base, id: newId("event"), type: "AUTH", detail: { action: "save" } },
        { ...base, id: newId("event"), type: "SAVE_TRACK", detail: { uri: `spotify:album:${ALBUM}` } },
        { ...base, id: newId("event"), type: "FOLLOW_ARTIST", detail: { uri: "spotify:artist:0TnOYISbd1XYRBk9myaseg" } },
      ]);
      for (let p = 0; p < 10; p++) plays.push({ fanId: fan.fanId, trackId: TRACKS[p % TRACKS.length]!, playedAt: t0 + (p + 1) * 4 * MIN });
      plays.push({ fanId: fan.fanId, trackId: null, playedAt: t0 + 45 * MIN, localName: "demo.mp3" });
      plays.push({ fanId: fan.fanId, trackId: "11dFghVXANMlKmJXsNCbNl", playedAt: t0 + 50 * MIN });
      ids.push(user.id);
    }
    await spotify.ask({ op: "recordPlays", plays });
    await advance(60 * MIN);

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
    /** STREAM rows stored for these fans, counted in the database (not from the results). */
    const storedStreams = async (list: string[]): Promise<number> => {
      let total = 0;
      for (const batch of batches(list)) {
        const [row] = await runtime.database.db.select({ n: count() }).from(engagementEvents).where(and(eq(engagementEvents.type, "STREAM"), inArray(engagementEvents.playUserId, batch)));
        total += Number(row?.n ?? 0);
      }
      return total;
    };
    // Warm-up (JIT, prepared plans, keep-alive sockets), not measured.
    await sync(ids.slice(0, WARMUP));
    const measured = ids.slice(WARMUP);

    // Baseline: reading each batch's fan rows (Play user + sync state), one statement a batch.
    const start = process.cpuUsage();
    for (const batch of batches(measured)) {
      await runtime.database.db.select().from(playUsers).leftJoin(fanSyncStates, eq(fanSyncStates.playUserId, playUsers.id)).where(inArray(playUsers.id, batch));
    }
    const baselineMs = cpuMs(start) / measured.length;

    // First sync of each fan (also checks the saved album and followed artist).
    const syncAll = async (label: string, streamsBefore: number): Promise<{ cpu: number; emulatorCpu: number; wall: number }> => {
      const emulatorStart = await spotify.cpuMs();
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      const results = await sync(measured);
      const cpu = cpuMs(cpuStart) / measured.length;
      const wall = (performance.now() - wallStart) / measured.length;
      const emulatorCpu = ((await spotify.cpuMs()) - emulatorStart) / measured.length;
      const notSynced = results.find((r) => r.outcome !== "synced");
      if (notSynced) throw new Error(`${label}: ${notSynced.outcome}`);
      const expected = measured.length * 10;
      const streams = results.reduce((sum, r) => sum + r.streams, 0);
      if (results.length !== measured.length || streams !== expected) throw new Error(`${label}: expected ${expected} streams, got ${streams}`);
      const stored = (await storedStreams(measured)) - streamsBefore;
      if (stored !== expected) throw new Error(`${label}: expected ${expected} STREAM rows stored, found ${stored}`);
      return { cpu, emulatorCpu, wall };
    };
    const first = await syncAll("first sync", 0);
    // The steady state: an hour later, ten new plays each; the access token (one hour) is
    // refreshed, saved state is not re-checked (daily).
    const t1 = clock.now().getTime();
    await spotify.ask({
      op: "recordPlays",
      plays: fans.flatMap((fan) => Array.from({ length: 10 }, (_, p) => ({ fanId: fan.fanId, trackId: TRACKS[p % TRACKS.length]!, playedAt: t1 + (p + 1) * 4 * MIN }))),
    });
    await advance(60 * MIN);
    await sync(ids.slice(0, WARMUP));
    const hourly = await syncAll("hourly sync", measured.length * 10);

    const round = (n: number) => Math.round(n * 100) / 100;
    const entries = [
      {
        name: `fan_sync_cpu_per_fan_${ENGINE}`,
        value: round(hourly.cpu),
        unit: "ms CPU/fan",
        baseline: round(baselineMs),
        ratio: round(hourly.cpu / baselineMs),
        target: ENGINE === "pglite" ? "<= 2 ms (Backbeat process; PGlite runs in it)" : "<= 2 ms (Backbeat process; database in its own)",
      },
      { name: `fan_sync_emulator_cpu_per_fan_${ENGINE}`, value: round(hourly.emulatorCpu), unit: "ms CPU/fan", baseline: null, ratio: null, target: "info (Spotify emulator process, not counted above)" },
      { name: `fan_sync_first_cpu_per_fan_${ENGINE}`, value: round(first.cpu), unit: "ms CPU/fan", baseline: round(baselineMs), ratio: round(first.cpu / baselineMs), target: `info (first sync: + saved-state check; emulator ${round(first.emulatorCpu)} ms/fan)` },
      { name: `fan_sync_wall_per_fan_${ENGINE}`, value: round(hourly.wall), unit: "ms/fan", baseline: null, ratio: null, target: `info (${measured.length} fans, ${BATCH} per batch, concurrent within a batch)` },
    ];
    process.stdout.write(`${JSON.stringify({ fans: measured.length, entries })}\n`);
  } finally {
    await runtime.close();
    await spotify.stop();
    await database?.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
