import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** A Backbeat started with `tsx src/main.ts start`, as a user would on a laptop. */
export interface BackbeatServer {
  baseUrl: string;
  /** The `Demo smart link:` URLs, in printed order. */
  demoLinks: string[];
  /** The `Dashboard:` URL (`<PUBLIC_URL>/app`). */
  dashboardUrl: string;
  /** The `Demo sign-in: <email> / <password>` printed on start. */
  demoSignIn: { email: string; password: string };
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Log lines at pino level error (50) or fatal (60). */
  errorLogLines(): string[];
  /** SIGTERM, then wait for the exit; removes the data dir. */
  stop(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/** The user's environment without what vitest or a developer shell would add to it. */
function userEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key === "NODE_ENV" || key.startsWith("VITEST") || key === "TEST" || key.startsWith("TEST_DATABASE")) continue;
    // This run is about the embedded database and the Spotify emulator.
    if (key === "DATABASE_URL" || key.startsWith("SPOTIFY_") || key === "BACKBEAT_SEED_DEMO") continue;
    env[key] = value;
  }
  return { ...env, ...overrides };
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((ok) => child.once("exit", (code, signal) => ok({ code, signal })));
}

/**
 * Starts the real server on a free port with a fresh data dir and waits until it has
 * printed `Backbeat is running at …`, three `Demo smart link: …` lines, `Dashboard: …` and
 * `Demo sign-in: …`.
 */
export async function startBackbeatServer(options: { readyTimeoutMs?: number } = {}): Promise<BackbeatServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), "backbeat-browser-"));
  const child = spawn(join(REPO_ROOT, "node_modules/.bin/tsx"), ["src/main.ts", "start"], {
    cwd: REPO_ROOT,
    env: userEnv({ PORT: String(port), PUBLIC_URL: baseUrl, BACKBEAT_DATA_DIR: dataDir, LOG_LEVEL: "warn" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const output = () => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });

  const started = Date.now();
  const readyTimeoutMs = options.readyTimeoutMs ?? 40_000;
  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`server not ready after ${readyTimeoutMs} ms\n${output()}`)), readyTimeoutMs);
      const check = () => {
        const running = stdout.includes(`Backbeat is running at ${baseUrl}\n`);
        const links = stdout.match(/^Demo smart link: \S+$/gm) ?? [];
        if (running && links.length >= 3 && /^Dashboard: \S+$/m.test(stdout) && /^Demo sign-in: \S+ \/ \S+$/m.test(stdout)) {
          clearTimeout(timer);
          child.stdout!.off("data", check);
          ok();
        }
      };
      child.stdout!.on("data", check);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`server exited early (code ${code}, signal ${signal})\n${output()}`));
      });
    });
  } catch (err) {
    child.kill("SIGKILL");
    await waitForExit(child);
    cleanup();
    throw err;
  }
  const demoLinks = [...stdout.matchAll(/^Demo smart link: (\S+)$/gm)].map((m) => m[1]!);
  const dashboardUrl = /^Dashboard: (\S+)$/m.exec(stdout)![1]!;
  const signIn = /^Demo sign-in: (\S+) \/ (\S+)$/m.exec(stdout)!;
  if (process.env.BACKBEAT_BROWSER_DEBUG) console.log(`server ready in ${Date.now() - started} ms`);

  return {
    baseUrl,
    demoLinks,
    dashboardUrl,
    demoSignIn: { email: signIn[1]!, password: signIn[2]! },
    output,
    errorLogLines: () =>
      `${stdout}\n${stderr}`
        .split("\n")
        .filter((line) => /"level":(50|60)\b/.test(line) || /^\s*(ERROR|FATAL)\b/.test(line)),
    async stop(timeoutMs) {
      const t0 = Date.now();
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const exited = await Promise.race([
        waitForExit(child),
        new Promise<null>((ok) => (timer = setTimeout(() => ok(null), timeoutMs))),
      ]);
      clearTimeout(timer);
      const ms = Date.now() - t0;
      if (!exited) {
        child.kill("SIGKILL");
        await waitForExit(child);
        cleanup();
        throw new Error(`server did not exit within ${timeoutMs} ms of SIGTERM\n${output()}`);
      }
      cleanup();
      return { ...exited, ms };
    },
  };
}
