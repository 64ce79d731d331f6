import { serve, type ServerType } from "@hono/node-server";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "./app";
import { ConfigError, readConfig } from "./config";
import { registerJobs } from "./jobs/register-jobs";
import { AppError } from "./lib/errors";
import { ProviderError } from "./lib/provider-error";
import { ensureDemoUser, grantDemoAdmin } from "./modules/accounts/index";
import { DEFAULT_DATACENTER_RANGES_FILE, refreshDatacenterRanges } from "./modules/attribution/index";
import { rebuildRollups } from "./modules/attribution/index";
import { createSmartLink, listSmartLinks, seedDemo } from "./modules/play/index";
import { createRuntime, type Runtime } from "./runtime";
import { ensureDashboardBuilt } from "./web/ensure-dashboard-built";

const USAGE = `Usage: backbeat <command>

Commands:
  start                               web server + job worker in one process (default)
  web                                 web server only
  worker                              job worker only
  migrate                             apply database migrations
  seed-demo                           create the demo artist and smart links
  links create <spotify-url> [--artist <slug>] [--json]
  links list [--artist <slug>] [--json]
  traffic refresh-datacenter-ranges   download the cloud providers' address lists into the data-center file
  analytics rebuild-rollups [--artist <id|slug>] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                      recompute analytics rollups from raw events
`;

/** Set once config is read; lets error messages say when Spotify is the emulator. */
let spotifyEmulated = false;

/** Stops accepting, flushes buffered events, stops jobs, closes the database. */
function onShutdown(runtime: Runtime, server: ServerType | null): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    runtime.logger.info({ signal }, "shutting down");
    const closeServer = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    // Idle keep-alive sockets would hold close() open; end them once requests finish.
    if (server && "closeIdleConnections" in server) server.closeIdleConnections();
    closeServer
      .then(() => runtime.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        runtime.logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

async function startServer(runtime: Runtime): Promise<ServerType> {
  const app = createApp(runtime);
  const { host, port } = runtime.config;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "EADDRINUSE"
          ? new AppError("UNAVAILABLE", `port ${port} on ${host} is already in use; stop what runs there or set PORT (and PUBLIC_URL) to another port`)
          : err,
      );
    });
  });
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { artist: { type: "string" }, from: { type: "string" }, to: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  const [command = "start", sub, arg] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const config = readConfig();
  spotifyEmulated = config.spotify.mode === "emulated";
  if (command === "traffic") {
    // Needs no database: downloads the public lists and rewrites the file the web nodes load at start.
    if (sub !== "refresh-datacenter-ranges") throw new AppError("BAD_REQUEST", `traffic: unknown subcommand "${sub ?? ""}"; use refresh-datacenter-ranges`);
    const result = await refreshDatacenterRanges({ input: { file: config.traffic.datacenterRangesFile ?? DEFAULT_DATACENTER_RANGES_FILE, now: new Date() } });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      for (const s of result.sources) console.log(`${s.provider}: ${s.count} ranges (published ${s.published ?? "undated"})`);
      console.log(`Wrote ${result.total} ranges to ${result.file}; restart web nodes to load them.`);
    }
    return;
  }
  if (!config.databaseUrl && !existsSync(join(config.dataDir, "pglite", "PG_VERSION"))) {
    // stderr: a notice, never mixed into `--json` output on stdout.
    process.stderr.write(`Setting up the embedded database in ${config.dataDir}/ (first run only, about half a minute)…\n`);
  }

  switch (command) {
    case "start":
    case "web":
    case "worker": {
      // The dashboard (/app) is built when missing or older than its sources; in parallel
      // with opening the database, and never fatal (see ensure-dashboard-built.ts).
      const dashboard = command === "worker" ? null : ensureDashboardBuilt({ notify: (line) => process.stderr.write(`${line}\n`) });
      const runtime = await createRuntime(config, { maintainJobs: command !== "web" });
      await dashboard;
      if (command !== "web") await registerJobs(runtime.boss, { ctxFor: () => runtime.ctxFor({ kind: "system" }) });
      const server = command === "worker" ? null : await startServer(runtime);
      onShutdown(runtime, server);
      if (server) console.log(`Backbeat is running at ${config.publicUrl}`);
      else console.log("Backbeat worker is running");
      // The dashboard's address goes beside the demo sign-in that opens it.
      const dashboardLine = server ? `Dashboard: ${config.publicUrl}/app` : null;
      if (config.seedDemo && command === "start") {
        const links = await seedDemo({ ctx: runtime.ctxFor({ kind: "system" }), input: {} });
        for (const link of links) console.log(`Demo smart link: ${link.url}`);
        if (dashboardLine) console.log(dashboardLine);
        if (config.demoPassword) {
          const demo = await ensureDemoUser({ ctx: runtime.ctxFor({ kind: "system" }) });
          // The demo user runs the demo artist (idempotent on every start).
          if (links[0]) await grantDemoAdmin({ ctx: runtime.ctxFor({ kind: "system" }), input: { userId: demo.userId, artistSlug: links[0].artistSlug } });
          console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
        }
        if (runtime.resendEmulator) console.log(`Resend emulator (sent mail): ${config.publicUrl}/_emulator/resend/`);
        if (runtime.spotifyEmulator) console.log(`Spotify emulator: ${config.publicUrl}/_emulator/spotify/_control/fans`);
      } else if (dashboardLine) console.log(dashboardLine);
      return;
    }
    case "migrate": {
      const runtime = await createRuntime(config);
      await runtime.close();
      console.log("Migrations applied.");
      return;
    }
    case "seed-demo": {
      const runtime = await createRuntime(config);
      try {
        const links = await seedDemo({ ctx: runtime.ctxFor({ kind: "cli" }), input: {} });
        for (const link of links) console.log(`Demo smart link: ${link.url}`);
        if (config.demoPassword) {
          const demo = await ensureDemoUser({ ctx: runtime.ctxFor({ kind: "cli" }) });
          if (links[0]) await grantDemoAdmin({ ctx: runtime.ctxFor({ kind: "cli" }), input: { userId: demo.userId, artistSlug: links[0].artistSlug } });
          console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
        }
      } finally {
        await runtime.close();
      }
      return;
    }
    case "links": {
      const runtime = await createRuntime(config);
      const ctx = runtime.ctxFor({ kind: "cli" });
      try {
        if (sub === "create") {
          if (!arg) throw new AppError("BAD_REQUEST", "spotifyUrl: missing; usage: backbeat links create <spotify-url> [--artist <slug>]");
          const result = await createSmartLink({ ctx, input: { spotifyUrl: arg, ...(values.artist ? { artistSlug: values.artist } : {}) } });
          if (values.json) console.log(JSON.stringify(result, null, 2));
          else if (result.kind === "smart_link") console.log(`${result.status}: ${config.publicUrl}/${result.artist.slug}/${result.link.slug}`);
          else {
            const job = result.importJobId ? "catalog import queued" : "catalog import already queued";
            console.log(`${result.status}: artist hub ${config.publicUrl}/${result.artist.slug} (${job}; the worker in \`backbeat start\` or \`backbeat worker\` runs it)`);
          }
        } else if (sub === "list") {
          const links = await listSmartLinks({ ctx, input: values.artist ? { artistSlug: values.artist } : {} });
          if (values.json) console.log(JSON.stringify(links, null, 2));
          else for (const l of links) console.log(`${l.published ? "published" : "draft    "}  ${l.releaseDate ?? "          "}  ${l.url}  ${l.title}`);
        } else {
          throw new AppError("BAD_REQUEST", `links: unknown subcommand "${sub ?? ""}"; use create or list`);
        }
      } finally {
        await runtime.close();
      }
      return;
    }
    case "analytics": {
      if (sub !== "rebuild-rollups") throw new AppError("BAD_REQUEST", `analytics: unknown subcommand "${sub ?? ""}"; use rebuild-rollups`);
      const runtime = await createRuntime(config);
      try {
        const artist = values.artist;
        const result = await rebuildRollups({
          ctx: runtime.ctxFor({ kind: "cli" }),
          input: {
            ...(artist ? (/^art_[0-9a-z]{26}$/.test(artist) ? { artistId: artist } : { artistSlug: artist }) : {}),
            ...(values.from ? { from: values.from } : {}),
            ...(values.to ? { to: values.to } : {}),
          },
        });
        if (values.json) console.log(JSON.stringify(result));
        else console.log(`Rebuilt analytics rollups: ${result.slices} artist-day slice${result.slices === 1 ? "" : "s"}.`);
      } finally {
        await runtime.close();
      }
      return;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

// `backbeat links list | head` closes the pipe early: that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else if (err instanceof ProviderError && err.kind === "not_found" && spotifyEmulated) {
    process.stderr.write(`Error: ${err.message}\nSpotify is emulated: only the emulator's catalog is known (see README, "Try it with the emulator"). Set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET to use real releases.\n`);
  } else if (err instanceof AppError || err instanceof ProviderError) process.stderr.write(`Error: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
