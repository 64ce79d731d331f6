/**
 * `npm run bench`: landing-page throughput of a real Backbeat (embedded PGlite, emulated
 * Spotify, demo data) against a bare Hono route serving the same bytes, in the same run,
 * with the same load (autocannon, 50 connections). Prints a table and writes
 * bench/results/latest.json with name, value, unit, baseline and ratio per entry.
 *
 * Targets (issue 2): ratio ≥ 0.6, p99 ≤ 10 ms, peak server RSS ≤ 300 MB.
 *
 * Fan sync (issue 4, bench/fan-sync.ts, in its own process so its CPU is its own): CPU ms
 * per fan (process.cpuUsage of that Backbeat process only) synced in worker-sized batches
 * against the Spotify emulator in a further child process (bench/serve-spotify-emulator.ts)
 * over real HTTP on 127.0.0.1 — the emulator's CPU is reported beside it, not counted; on
 * PGlite the database's CPU is counted (in-process) — beside the cost of only reading each
 * batch's fan rows; on PGlite, and on PostgreSQL too when BENCH_DATABASE_URL is set.
 * Target ≤ 2 ms. Only this entry: `node --import tsx bench/fan-sync.ts [fans] [pglite|postgres]`.
 *
 * Conversions (issue 5, bench/conversions.ts, own process): outbox rows delivered per second
 * to the in-process Meta / Google / Reddit emulators, beside the rate of writing the same
 * outbox rows without delivery. Target ≥ 5 000 events/s on PGlite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 50;

interface Entry {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target?: string;
}

function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: string[] }> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` (not the tsx wrapper) so the child pid is the server itself, for RSS.
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join("")}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (ready.test(output.join(""))) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output.join("")}`)));
  });
}

/** Peak resident set size (VmHWM) of a Linux process, in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

async function load(url: string): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  // Warm-up so both servers are measured hot (JIT, caches).
  await autocannon({ url, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/** Runs bench/conversions.ts in a child process and returns its entries. */
function conversionEntries(): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/conversions.ts", process.env.BENCH_CONVERSION_FANS ?? "2000"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`conversions bench exited with ${code}:\n${err}`));
      resolve((JSON.parse(out.trim().split("\n").at(-1)!) as { entries: Entry[] }).entries);
    });
  });
}

/** Runs bench/fan-sync.ts in a child process and returns its entries. */
function fanSyncEntries(engine: "pglite" | "postgres"): Promise<Entry[]> {
  return childEntries("bench/fan-sync.ts", process.env.BENCH_FAN_SYNC_FANS ?? "400", engine);
}

/** Runs bench/analytics.ts in a child process and returns its entries. */
function analyticsEntries(engine: "pglite" | "postgres"): Promise<Entry[]> {
  return childEntries("bench/analytics.ts", process.env.BENCH_ANALYTICS_EVENTS ?? "1000000", engine);
}

/** Runs a bench script that prints `{ entries }` as its last stdout line. */
function childEntries(script: string, size: string, engine: "pglite" | "postgres"): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, size, engine], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${script} (${engine}) exited with ${code}:\n${err}`));
      resolve((JSON.parse(out.trim().split("\n").at(-1)!) as { entries: Entry[] }).entries);
    });
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "backbeat-bench-"));
  const port = 3801;
  const env = {
    NODE_ENV: "development",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    BACKBEAT_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  };
  const ready = /Demo smart link: \S+[\s\S]*Demo smart link: \S+[\s\S]*Demo smart link: \S+/;
  // First start creates the embedded database (initdb), migrates and seeds; its peak
  // memory is a one-time install cost, reported separately. The measured server is a
  // restart on that data, as a long-running install is.
  const install = await startProcess(["src/main.ts", "start"], env, ready);
  const installPeakMb = peakRssMb(install.child.pid!);
  install.child.kill("SIGTERM");
  await new Promise((r) => install.child.once("exit", r));
  const backbeat = await startProcess(["src/main.ts", "start"], env, ready);
  try {
    const links = [...backbeat.output.join("").matchAll(/Demo smart link: (\S+)/g)].map((m) => m[1]!);
    // The released album: a full landing page with several services (not the pre-save).
    const target = links.find((l) => l.endsWith("/global-warming")) ?? links[0]!;
    const bytes = await (await fetch(target)).text();
    const barePath = join(dataDir, "page.html");
    writeFileSync(barePath, bytes);
    const bare = await startProcess(["bench/serve-bare.ts", barePath, String(port + 1)], {}, /bare server ready/);
    try {
      const baseline = await load(`http://127.0.0.1:${port + 1}/page`);
      const measured = await load(target);
      const rss = peakRssMb(backbeat.child.pid!);
      const ratio = Math.round((measured.rps / baseline.rps) * 100) / 100;
      const entries: Entry[] = [
        { name: "landing_page_rps", value: Math.round(measured.rps), unit: "req/s", baseline: Math.round(baseline.rps), ratio, target: "ratio >= 0.6" },
        { name: "landing_page_p99", value: measured.p99, unit: "ms", baseline: baseline.p99, ratio: baseline.p99 > 0 ? Math.round((measured.p99 / baseline.p99) * 100) / 100 : null, target: "<= 10 ms" },
        { name: "server_peak_rss", value: rss, unit: "MB", baseline: null, ratio: null, target: "<= 300 MB" },
        { name: "first_install_peak_rss", value: installPeakMb, unit: "MB", baseline: null, ratio: null, target: "info (initdb, once)" },
        { name: "landing_page_errors", value: measured.errors + measured.non2xx, unit: "count", baseline: baseline.errors + baseline.non2xx, ratio: null },
        ...(await fanSyncEntries("pglite")),
        ...(process.env.BENCH_DATABASE_URL ? await fanSyncEntries("postgres") : []),
        ...(await analyticsEntries("pglite")),
        ...(process.env.BENCH_DATABASE_URL ? await analyticsEntries("postgres") : []),
        ...(await conversionEntries()),
      ];
      mkdirSync(join(root, "bench/results"), { recursive: true });
      writeFileSync(
        join(root, "bench/results/latest.json"),
        JSON.stringify({ date: new Date().toISOString(), node: process.version, connections: CONNECTIONS, durationS: DURATION_S, url: target, pageBytes: Buffer.byteLength(bytes), entries }, null, 2),
      );
      console.table(entries);
    } finally {
      bare.child.kill("SIGTERM");
    }
  } finally {
    backbeat.child.kill("SIGTERM");
    await new Promise((r) => backbeat.child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
