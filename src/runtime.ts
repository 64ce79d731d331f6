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
import { createDatacenterMatcher } from "./modules/attribution/create-datacenter-matcher";
import { createTrafficGate, type TrafficGate } from "./modules/attribution/create-traffic-gate";
import { DEFAULT_DATACENTER_RANGES_FILE, loadDatacenterRanges } from "./modules/attribution/load-datacenter-ranges";
import { createAuth, type BackbeatAuth } from "./modules/accounts/index";
import { createSpotifyService } from "./providers/spotify/client/index";
import { createSpotifyEmulator } from "./providers/spotify/emulator/index";
import type { MusicService } from "./providers/spotify/port";
import { META_GRAPH_VERSION } from "./config";
import { createGoogleSignIn } from "./providers/google/client/index";
import { createGoogleEmulator } from "./providers/google/emulator/index";
import { createMetaSignIn } from "./providers/meta/client/index";
import { createMetaEmulator } from "./providers/meta/emulator/index";
import { createResendMailer } from "./providers/resend/client/index";
import { createResendEmulator } from "./providers/resend/emulator/index";
import type { Mailer } from "./providers/resend/port";
import type { ConsentGate } from "./modules/conversions/consent-gate";
import { hasAdConsent } from "./modules/conversions/has-ad-consent";
import { createConversionSinks } from "./modules/conversions/create-conversion-sinks";
import { enqueueConversions } from "./modules/conversions/enqueue-conversions";
import { createGoogleDataManagerEmulator } from "./providers/google/emulator/datamanager/index";
import { createMetaConversionsEmulator } from "./providers/meta/emulator/conversions/index";
import { createRedditEmulator } from "./providers/reddit/emulator/index";

export const EMULATOR_BASE_PATH = "/_emulator/spotify";
export const RESEND_EMULATOR_PATH = "/_emulator/resend";
export const GOOGLE_EMULATOR_PATH = "/_emulator/google";
export const META_EMULATOR_PATH = "/_emulator/meta";
/** Conversions emulators, each under its provider's emulator path. */
export const META_CAPI_EMULATOR_PATH = "/_emulator/meta/capi";
export const GOOGLE_DATA_MANAGER_EMULATOR_PATH = "/_emulator/google/datamanager";
export const REDDIT_EMULATOR_PATH = "/_emulator/reddit";

type SpotifyEmulator = ReturnType<typeof createSpotifyEmulator>;
type ResendEmulator = ReturnType<typeof createResendEmulator>;
type GoogleEmulator = ReturnType<typeof createGoogleEmulator>;
type MetaEmulator = ReturnType<typeof createMetaEmulator>;
type ConversionEmulators = {
  meta: ReturnType<typeof createMetaConversionsEmulator>;
  google: ReturnType<typeof createGoogleDataManagerEmulator>;
  reddit: ReturnType<typeof createRedditEmulator>;
};

/** Everything a running Backbeat holds: the composition root for web, worker and CLI. */
export interface Runtime {
  config: Config;
  clock: Clock;
  logger: Logger;
  database: Database;
  music: MusicService;
  events: EventRecorder;
  traffic: TrafficGate;
  jobs: JobQueue;
  /** Started; workers register handlers with `registerJobs`. */
  boss: PgBoss;
  /** Better Auth: Platform sign-in and sessions (mounted at `/auth/*`). */
  auth: BackbeatAuth;
  /** Sends e-mail (Resend, or its emulator). */
  mailer: Mailer;
  /** Present when Spotify is emulated (never in production). */
  spotifyEmulator: SpotifyEmulator | null;
  /** Present when the provider is emulated (never in production). */
  resendEmulator: ResendEmulator | null;
  googleEmulator: GoogleEmulator | null;
  metaEmulator: MetaEmulator | null;
  /** Conversions API emulators (Meta CAPI, Google Data Manager, Reddit), when `CONVERSIONS_MODE` is emulated. */
  conversionEmulators: ConversionEmulators | null;
  /** Ad-consent gate used by conversion delivery (replaceable in tests). */
  consentGate: ConsentGate;
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
  /**
   * Ad-consent gate for conversion delivery (P12). Default: refuses everyone until the
   * consent module's `hasAdConsent` is wired here by the integrator.
   */
  consentGate?: ConsentGate;
  /** Timeout of conversions API calls in ms (tests shorten it to exercise timeouts). */
  conversionsTimeoutMs?: number;
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

  let resendEmulator: ResendEmulator | null = null;
  if (config.resend.mode === "emulated") {
    resendEmulator = createResendEmulator({ clock, apiKey: config.resend.apiKey, basePath: RESEND_EMULATOR_PATH });
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${RESEND_EMULATOR_PATH}`, resendEmulator.app, fetchImpl);
  }
  let googleEmulator: GoogleEmulator | null = null;
  if (config.google.mode === "emulated") {
    googleEmulator = createGoogleEmulator({
      clock,
      clientId: config.google.clientId,
      clientSecret: config.google.clientSecret,
      redirectUris: [`${config.publicUrl}/auth/callback/google`],
      basePath: GOOGLE_EMULATOR_PATH,
      publicUrl: config.publicUrl,
    });
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${GOOGLE_EMULATOR_PATH}`, googleEmulator.app, fetchImpl);
  }
  let metaEmulator: MetaEmulator | null = null;
  if (config.meta.mode === "emulated") {
    metaEmulator = createMetaEmulator({
      clock,
      appId: config.meta.clientId,
      appSecret: config.meta.clientSecret,
      redirectUris: [`${config.publicUrl}/auth/callback/meta`],
      basePath: META_EMULATOR_PATH,
      publicUrl: config.publicUrl,
      graphVersion: META_GRAPH_VERSION,
    });
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${META_EMULATOR_PATH}`, metaEmulator.app, fetchImpl);
  }
  let conversionEmulators: ConversionEmulators | null = null;
  if (config.conversions.mode === "emulated") {
    conversionEmulators = {
      meta: createMetaConversionsEmulator({ clock }),
      google: createGoogleDataManagerEmulator({ clock }),
      reddit: createRedditEmulator({ clock }),
    };
    // Added last, so these (longer) prefixes are matched before the sign-in emulators'.
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${REDDIT_EMULATOR_PATH}`, conversionEmulators.reddit.app, fetchImpl);
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${GOOGLE_DATA_MANAGER_EMULATOR_PATH}`, conversionEmulators.google.app, fetchImpl);
    fetchImpl = dispatchToEmulator(`${config.publicUrl}${META_CAPI_EMULATOR_PATH}`, conversionEmulators.meta.app, fetchImpl);
  }
  const conversionSinks = createConversionSinks(config.conversions, {
    clock,
    fetch: fetchImpl,
    logger,
    ...(options.conversionsTimeoutMs ? { timeoutMs: options.conversionsTimeoutMs } : {}),
  });
  const mailer = createResendMailer(config.resend, { fetch: fetchImpl, logger: logger.child({ provider: "resend" }) });
  const google = config.google.mode === "off" ? null : createGoogleSignIn(config.google, { clock, fetch: fetchImpl, logger: logger.child({ provider: "google" }) });
  const meta = config.meta.mode === "off" ? null : createMetaSignIn(config.meta, { clock, fetch: fetchImpl, logger: logger.child({ provider: "meta" }) });

  const music = createSpotifyService(config.spotify, { clock, logger: logger.child({ provider: "spotify" }), fetch: fetchImpl });
  // Conversion outbox rows are written in the transaction of the events they come from.
  const events = createEventBuffer({
    db: database.db,
    clock,
    logger,
    flushMs: config.eventFlushMs,
    onWritten: (tx, written) => enqueueConversions({ ctx: { ...runtime.ctxFor({ kind: "system" }), db: tx }, input: { events: written } }),
  });
  const rangesFile = config.traffic.datacenterRangesFile ?? DEFAULT_DATACENTER_RANGES_FILE;
  const ranges = loadDatacenterRanges(rangesFile);
  if ("error" in ranges) logger.warn({ error: ranges.error }, "data-center ranges not loaded; traffic is not screened by address");
  const datacenter = createDatacenterMatcher("error" in ranges ? [] : ranges.ranges);
  const traffic = createTrafficGate({ config: config.traffic, datacenter, events });
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
  const auth = createAuth({ db: database.db, config, logger, clock, mailer, google, meta });

  const runtime: Runtime = {
    config,
    clock,
    logger,
    database,
    music,
    events,
    traffic,
    jobs,
    boss,
    auth,
    mailer,
    spotifyEmulator,
    resendEmulator,
    googleEmulator,
    metaEmulator,
    conversionEmulators,
    // The fan's recorded consent (P10, P12): CONSENT_MODE and the latest consent records.
    consentGate: options.consentGate ?? { hasAdConsent: (input, db) => hasAdConsent({ ctx: { ...runtime.ctxFor({ kind: "system" }), ...(db ? { db } : {}) }, input }) },
    ctxFor: (actor) => ({
      actor,
      db: database.db,
      clock,
      logger,
      config,
      music,
      jobs,
      events,
      traffic,
      mailer,
      conversions: { sinks: conversionSinks, consent: runtime.consentGate },
    }),
    async close() {
      await events.close();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch((err: unknown) => logger.warn({ err }, "job queue stop failed"));
      await database.close();
    },
  };
  return runtime;
}

/**
 * A `fetch` that serves URLs under `base` from the emulator app, and passes others on. A
 * URL string (what `lib/http` sends) becomes one Request for the emulator, and a URL of
 * another emulator is passed on untouched (these dispatchers are chained, one per
 * emulator); a Request input is re-addressed.
 */
function dispatchToEmulator(base: string, emulator: Hono, next: typeof fetch): typeof fetch {
  const prefix = new URL(base);
  const root = `${prefix.origin}${prefix.pathname}`;
  /** The part after the mount point (path and query), or null when `href` is not under it. */
  const below = (href: string): string | null => {
    if (href.startsWith(prefix.origin)) return href.startsWith(root) ? href.slice(root.length) : null;
    const url = new URL(href);
    return url.origin === prefix.origin && url.pathname.startsWith(prefix.pathname) ? `${url.pathname.slice(prefix.pathname.length)}${url.search}` : null;
  };
  return async (input, init) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const rest = below(href);
    if (rest === null) return next(input, init);
    const local = `${prefix.origin}${rest.startsWith("/") ? rest : `/${rest}`}`;
    if (typeof input === "string" || input instanceof URL) return emulator.fetch(new Request(local, init));
    return emulator.fetch(new Request(local, new Request(input, init)));
  };
}
