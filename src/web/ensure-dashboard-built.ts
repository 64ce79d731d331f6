import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DASHBOARD_DIST_DIR } from "./serve-dashboard";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SOURCE_DIR = join(ROOT, "src", "web", "dashboard");
const VITE_CONFIG = join(ROOT, "vite.dashboard.config.ts");
/** Besides the sources: the build config and the lock file (a dependency update rebuilds). */
const EXTRA_INPUTS = [VITE_CONFIG, join(ROOT, "package-lock.json")];

export type DashboardBuildResult =
  /** The build is newer than every source: nothing to do. */
  | { status: "fresh" }
  | { status: "built"; ms: number }
  /** Vite is not installed (production install without dev dependencies) or the build failed. */
  | { status: "unavailable"; reason: string; staleBuildServed: boolean };

export interface EnsureDashboardBuiltInput {
  /** Progress and problems for the operator (one line each, no trailing newline). */
  notify: (line: string) => void;
  /** Where the build goes; `DASHBOARD_DIST_DIR` by default (tests use a temporary one). */
  distDir?: string;
}

/**
 * Builds the dashboard when `dist/dashboard/index.html` is missing or older than any file
 * under `src/web/dashboard/` (tests and `testing/` excluded), `vite.dashboard.config.ts` or
 * `package-lock.json`, so `npm start` serves it on a fresh clone.
 *
 * The build runs Vite's CLI in a child process (≈ 15 s on 2 cores): Vite sets the NODE_ENV variable
 * and holds a lot of memory while bundling, neither of which should leak into the server.
 * Vite is a dev dependency: without it (an `--omit=dev` install) this reports
 * `unavailable` and the server still starts; `/app` then explains that `npm run build`
 * is needed, or keeps serving the older build. Never throws.
 */
export async function ensureDashboardBuilt(input: EnsureDashboardBuiltInput): Promise<DashboardBuildResult> {
  const distDir = input.distDir ?? DASHBOARD_DIST_DIR;
  const built = await stat(join(distDir, "index.html")).catch(() => null);
  const newest = await newestMtime();
  if (built && built.mtimeMs >= newest) return { status: "fresh" };

  let viteBin: string;
  try {
    viteBin = join(createRequire(import.meta.url).resolve("vite/package.json"), "..", "bin", "vite.js");
  } catch {
    const reason = "Vite is not installed (dev dependencies omitted)";
    input.notify(built ? `Dashboard: sources changed but ${reason}; serving the previous build. Run \`npm run build\` to update it.` : `Dashboard: not built and ${reason}. Run \`npm install && npm run build\` to serve /app.`);
    return { status: "unavailable", reason, staleBuildServed: Boolean(built) };
  }

  input.notify(built ? "Dashboard sources changed: rebuilding /app…" : "Building the dashboard for /app (first run only, about 15 s on 2 cores)…");
  const started = Date.now();
  const args = [viteBin, "build", "--config", VITE_CONFIG, "--logLevel", "warn", ...(input.distDir ? ["--outDir", distDir] : [])];
  const code = await new Promise<number | null>((resolve) => {
    // Child stdout → our stderr: build chatter never mixes with the CLI's stdout.
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", 2, 2] });
    child.once("error", () => resolve(null));
    child.once("exit", (exitCode) => resolve(exitCode));
  });
  if (code !== 0) {
    const reason = `the build failed (vite exit code ${code ?? "none"})`;
    input.notify(`Dashboard: ${reason}; ${built ? "serving the previous build" : "/app will ask for `npm run build`"}.`);
    return { status: "unavailable", reason, staleBuildServed: Boolean(built) };
  }
  const ms = Date.now() - started;
  input.notify(`Dashboard built in ${(ms / 1000).toFixed(1)} s.`);
  return { status: "built", ms };
}

/** Newest modification time (ms) among the dashboard's inputs. */
async function newestMtime(): Promise<number> {
  const entries = await readdir(SOURCE_DIR, { recursive: true, withFileTypes: true }).catch(() => []);
  // Tests and their helpers are not part of the bundle.
  const files = entries
    .filter((e) => e.isFile() && !/\.test\.tsx?$/.test(e.name) && !/[\\/]testing$/.test(e.parentPath))
    .map((e) => join(e.parentPath, e.name));
  const times = await Promise.all([...files, ...EXTRA_INPUTS].map((f) => stat(f).then((s) => s.mtimeMs, () => 0)));
  return Math.max(0, ...times);
}
