import type PgBoss from "pg-boss";
import type { Hono } from "hono";
import type { Config } from "./config";
import type { Actor, Ctx } from "./context";
import { openDatabase, type Database } from "./db/client";
import { createBoss } from "./jobs/create-boss";
import { createJobQueue, JOB_NAMES, type JobQueue } from "./jobs/job-queue";
import { systemClock, type Clock } from "./lib/clock";
import { createLogger, type Logger } from "./lib/logger";
import { createEventBuffer, type EventRecorder } from "./modules/attribution/create-event-buffer";
import { createMemoryMailer } from "./modules/accounts/create-memory-mailer";
import type { Mailer } from "./modules/accounts/mailer-port";
import { createSpotifyService } from "./providers/spotify/client/index";
import { createSpotifyEmulator } from "./providers/spotify/emulator/index";
import type { MusicService } from "./providers/spotify/port";

export const EMULATOR_BASE_PATH = "/_emulator/spotify";

type SpotifyEmulator = ReturnType<typeof createSpotifyEmulator>;

/** Everything a running Backbeat holds: the composition root for web, worker and CLI. */
export interface Runtime {
  config: Config;
  clock: Clock;
  logger: Logger;
  database: Database;
  music: MusicService;
  events: EventRecorder;
  jobs: JobQueue;
  /** Transactional e-mail (invitations). */
  mailer: Mailer;
  /** Started; workers register handlers with `registerJobs`. */
  boss: PgBoss;
  /** Present when Spotify is emulated (never in production). */
  spotifyEmulator: SpotifyEmulator | null;
  ctxFor(actor: Actor): Ctx;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Used for live provider calls; emulated providers are dispatched in-process. */
  fetch?: typeof fetch;
  /** Apply migrations on open (default true). */
  migrate?: boolean;
  /** An already opened database (tests). */
  database?: Database;
  /** Whether this process maintains the job queue and fires crons (worker nodes). */
  maintainJobs?: boolean;
  /** E-mail port (default: an in-memory outbox until the Resend mailer is wired). */
  mailer?: Mailer;
}

/**
 * Opens the database (PGlite or PostgreSQL), migrates, and wires providers. Emulated
 * providers get their emulator, and requests to the emulator's URL are dispatched to it
 * in-process: the same client code, request objects and protocol, without a socket.
 */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onIdleError: (err) => logger.warn({ err }, "database dropped an idle connection"),
    }));
  if (options.migrate !== false) await database.migrate();

  let spotifyEmulator: SpotifyEmulator | null = null;
  let fetchImpl: typeof fetch = options.fetch ?? fetch;
  if (config.spotify.mode === "emulated") {
    spotifyEmulator = createSpotifyEmulator({
      clock,
      clientId: config.spotify.clientId,
      clientSecret: config.spotify.clientSecret,
      redirectUris: [config.spotify.redirectUri],
      quotaMode: config.spotify.quotaMode,
      basePath: EMULATOR_BASE_PATH,
      publicUrl: config.publicUrl,
    });
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${EMULATOR_BASE_PATH}`, spotifyEmulator.app, fetchImpl);
  }

  const music = createSpotifyService(config.spotify, { clock, logger: logger.child({ provider: "spotify" }), fetch: fetchImpl });
  const events = createEventBuffer({ db: database.db, clock, logger, flushMs: config.eventFlushMs });
  const boss = createBoss(database, { databaseUrl: config.databaseUrl, logger, maintain: options.maintainJobs ?? false });
  await boss.start();
  // Queues exist before anything sends; handlers are registered only on worker nodes.
  // "stately": at most one job per singleton key in each state, so a repeated send (two
  // imports of one artist, a re-triggered cron) collapses into the queued one. updateQueue
  // moves installs created before this policy.
  for (const name of JOB_NAMES) {
    await boss.createQueue(name, { name, policy: "stately" });
    await boss.updateQueue(name, { name, policy: "stately" });
  }
  const jobs = createJobQueue(boss);
  const mailer = options.mailer ?? createMemoryMailer(logger);

  const runtime: Runtime = {
    config,
    clock,
    logger,
    database,
    music,
    events,
    jobs,
    mailer,
    boss,
    spotifyEmulator,
    ctxFor: (actor) => ({ actor, db: database.db, clock, logger, config, music, jobs, events, mailer }),
    async close() {
      await events.close();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch((err: unknown) => logger.warn({ err }, "job queue stop failed"));
      await database.close();
    },
  };
  return runtime;
}

/** A `fetch` that serves URLs under `base` from the emulator app, and passes others on. */
function dispatchToEmulator(base: string, emulator: Hono, next: typeof fetch): typeof fetch {
  const prefix = new URL(base);
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== prefix.origin || !url.pathname.startsWith(prefix.pathname)) return next(request);
    url.pathname = url.pathname.slice(prefix.pathname.length) || "/";
    return emulator.fetch(new Request(url, request));
  };
}
