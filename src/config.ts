import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { KeyRing } from "./lib/seal";

/**
 * Backbeat's configuration: read once from the environment, validated, passed in.
 * Nothing else reads `process.env`. `parseConfig` is pure; `readConfig` adds the
 * development conveniences (generated local secrets in the data dir).
 */
export type ProviderMode = "live" | "emulated";

export interface SpotifyConfig {
  mode: ProviderMode;
  clientId: string;
  clientSecret: string;
  /** Accounts service base, e.g. `https://accounts.spotify.com`. */
  accountsUrl: string;
  /** Web API base including `/v1`, e.g. `https://api.spotify.com/v1`. */
  apiUrl: string;
  /** `development` apps allow 5 registered users and no legacy per-type endpoints. */
  quotaMode: "extended" | "development";
  /** Redirect URI registered with Spotify; always from config, never from Host. */
  redirectUri: string;
}

/** Resend (https://resend.com/docs/api-reference/emails/send-email); emulated outside production when unset. */
export interface ResendConfig {
  mode: ProviderMode;
  apiKey: string;
  /** API base, e.g. `https://api.resend.com`. */
  apiUrl: string;
  /** `From` of every mail, e.g. `Backbeat <no-reply@example.com>`. */
  from: string;
}

/**
 * A social sign-in provider (Google OpenID Connect, Meta/Facebook Login). `off` in
 * production when no client id is configured (never emulated there).
 */
export interface SocialSignInConfig {
  mode: ProviderMode | "off";
  clientId: string;
  clientSecret: string;
  /** Browser-facing authorization / login dialog URL. */
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  /** OIDC only (Google): expected `iss` and the JWKS URL. */
  issuer?: string;
  jwksUrl?: string;
}

/** Fan sync (attribution): Spotify budget and the revocation safety net (P16). */
export interface FanSyncConfig {
  /** App-wide Spotify Web API budget shared by every node: tokens added per second. */
  ratePerSecond: number;
  /** Bucket capacity (largest burst). */
  rateBurst: number;
  /** Delay before a first `invalid_grant` is confirmed by a second try (ms). */
  revocationConfirmDelayMs: number;
  /** Confirmed revocations inside the window at which deletions pause and an alert is raised. */
  revocationBurstThreshold: number;
  /** Window for counting confirmed revocations (ms). */
  revocationBurstWindowMs: number;
}

/** Landing traffic quality (attribution `create-traffic-gate.ts`). Per node, in memory. */
export interface TrafficConfig {
  /** Repeat views of one landing by one visitor hash inside this window (ms) are `duplicate`; 0 disables. */
  dedupeWindowMs: number;
  /** Requests one visitor hash may make per `visitorWindowMs` before `velocity_visitor`. */
  visitorLimit: number;
  visitorWindowMs: number;
  /** Counted views one landing may get per `linkWindowMs` on one node before `velocity_link`. */
  linkLimit: number;
  linkWindowMs: number;
  /** Bound on the in-memory dedupe and velocity tables (entries each). */
  maxEntries: number;
  /** Data-center range list; undefined = the shipped `data/datacenter-ranges.json`. */
  datacenterRangesFile: string | undefined;
}

/** Fan-level fraud flags (job `attribution.flag-fans`). */
export interface FraudConfig {
  /** How far back each run looks (ms). */
  lookbackMs: number;
  /** Distinct Spotify accounts authorized from one device hash (same IP prefix and browser) at which each is flagged `shared_device`. */
  sharedDeviceAccounts: number;
  /** Distinct accounts from one IP prefix (IPv4 /24, IPv6 /48) at which each is flagged `shared_ip_prefix`. */
  sharedNetworkAccounts: number;
  /** Saves of distinct releases inside `rapidSavesWindowMs`… */
  rapidSavesCount: number;
  /** …spanning at least this many distinct artists → `rapid_unrelated_saves`. */
  rapidSavesArtists: number;
  rapidSavesWindowMs: number;
  /** Streams of one track by one fan inside `loopWindowMs` → `looped_track`. */
  loopStreams: number;
  loopWindowMs: number;
}

/**
 * Consent for ad measurement (conversions module; PROMISES P10, P12).
 * - `opt-in`: nothing non-essential (click-id cookies, pixels, click ids on events) until
 *   the fan accepts the banner;
 * - `opt-out`: on unless the fan declined or withdrew;
 * - `off`: no banner, always on (only where no consent is legally required).
 */
export type ConsentMode = "opt-in" | "opt-out" | "off";

export interface ConsentConfig {
  mode: ConsentMode;
  /** Version of the policy the fan agrees to (recorded with every choice); a new version asks again in `opt-in`. */
  policyVersion: string;
}

export interface Config {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  /** Public origin without trailing slash, e.g. `https://go.example.com`. */
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  keyRing: KeyRing;
  /** HMAC secret for the Play cookie and OAuth state (≥ 32 bytes). */
  cookieSecret: string;
  /** Secret from which the daily visitor-hash salt is derived (P11). */
  visitorHashSecret: string;
  /** Better Auth's secret (≥ 32 bytes): signs session cookies, encrypts OAuth tokens. */
  authSecret: string;
  /** Bearer secret for /internal/jobs; undefined disables those endpoints (P04). */
  jobSecret: string | undefined;
  /** Request header carrying the visitor's ISO country (set by a CDN), e.g. `cf-ipcountry`. */
  countryHeader: string | undefined;
  /** Take the client IP from the first `X-Forwarded-For` entry (behind a trusted proxy only). */
  trustProxy: boolean;
  /** Seed the demo artist and links on start. */
  seedDemo: boolean;
  /** Milliseconds between buffered view flushes. */
  eventFlushMs: number;
  /** `/api/v1` requests allowed per user or API key per minute (then 429 with Retry-After). */
  apiRateLimitPerMinute: number;
  spotify: SpotifyConfig;
  resend: ResendConfig;
  google: SocialSignInConfig;
  meta: SocialSignInConfig;
  /** Password of the demo Platform user (`demo@backbeat.local`); generated locally, unset in production. */
  demoPassword: string | undefined;
  fanSync: FanSyncConfig;
  traffic: TrafficConfig;
  fraud: FraudConfig;
  consent: ConsentConfig;
  conversions: ConversionsConfig;
  /** Mount provider emulators under `/_emulator/…` (never in production). */
  emulatorsMounted: boolean;
}

/**
 * Server-side conversion delivery (issue 5). Per-artist credentials (pixel / dataset ids,
 * sealed access tokens) live in `conversion_destinations`; these are the API origins.
 * `emulated` points every platform at its emulator under `/_emulator/<provider>/…`;
 * production refuses it.
 */
export interface ConversionsConfig {
  mode: ProviderMode;
  /** Meta Graph origin + version path, e.g. `https://graph.facebook.com/v23.0`. */
  metaGraphUrl: string;
  /** Google Data Manager API origin, e.g. `https://datamanager.googleapis.com`. */
  googleDataManagerUrl: string;
  /** Reddit Ads API origin, e.g. `https://ads-api.reddit.com`. */
  redditAdsUrl: string;
  /** Outbox rows per delivery job (bounded again by each API's batch limit). */
  batchSize: number;
  /** Attempts before a retryable failure becomes permanent (`attempts_exhausted`). */
  maxAttempts: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Backbeat cannot start:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  BACKBEAT_DATA_DIR: z.string().default(".data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BACKBEAT_KEY_RING: z.string().optional(),
  BACKBEAT_ACTIVE_KEY_ID: z.string().optional(),
  COOKIE_SECRET: z.string().optional(),
  VISITOR_HASH_SECRET: z.string().optional(),
  JOB_SECRET: z.string().optional(),
  AUTH_SECRET: z.string().optional(),
  COUNTRY_HEADER: z.string().optional(),
  BACKBEAT_SEED_DEMO: z.enum(["true", "false"]).optional(),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  EVENT_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(600),
  SPOTIFY_CLIENT_ID: z.string().optional(),
  SPOTIFY_CLIENT_SECRET: z.string().optional(),
  SPOTIFY_QUOTA_MODE: z.enum(["extended", "development"]).optional(),
  SPOTIFY_ACCOUNTS_URL: z.url().optional(),
  SPOTIFY_API_URL: z.url().optional(),
  RESEND_API_KEY: z.string().optional(),
  MAIL_FROM: z.string().min(3).optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  META_APP_ID: z.string().optional(),
  META_APP_SECRET: z.string().optional(),
  BACKBEAT_DEMO_PASSWORD: z.string().min(10).optional(),
  FAN_SYNC_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(10),
  FAN_SYNC_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(50),
  FAN_REVOCATION_CONFIRM_DELAY_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  FAN_REVOCATION_BURST_THRESHOLD: z.coerce.number().int().min(1).max(1_000_000).default(20),
  FAN_REVOCATION_BURST_WINDOW_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  VISIT_DEDUPE_MINUTES: z.coerce.number().int().min(0).max(1440).default(30),
  VELOCITY_VISITOR_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(30),
  VELOCITY_VISITOR_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  VELOCITY_LINK_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(6000),
  VELOCITY_LINK_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  TRAFFIC_STATE_MAX_ENTRIES: z.coerce.number().int().min(100).max(10_000_000).default(200_000),
  DATACENTER_RANGES_FILE: z.string().optional(),
  FLAG_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(7 * 24),
  FLAG_SHARED_DEVICE_ACCOUNTS: z.coerce.number().int().min(2).max(100_000).default(4),
  FLAG_SHARED_IP_PREFIX_ACCOUNTS: z.coerce.number().int().min(2).max(100_000).default(20),
  FLAG_RAPID_SAVES_COUNT: z.coerce.number().int().min(2).max(100_000).default(8),
  FLAG_RAPID_SAVES_ARTISTS: z.coerce.number().int().min(1).max(100_000).default(4),
  FLAG_RAPID_SAVES_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  FLAG_LOOP_STREAMS: z.coerce.number().int().min(2).max(100_000).default(40),
  FLAG_LOOP_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  CONSENT_MODE: z.enum(["opt-in", "opt-out", "off"]).default("opt-in"),
  // Kept in a cookie value and on every consent record: a short token, no spaces.
  CONSENT_POLICY_VERSION: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, "1–32 letters, digits, '.', '_' or '-'").default("1"),
  CONVERSIONS_MODE: z.enum(["live", "emulated"]).optional(),
  CONVERSIONS_BATCH_SIZE: z.coerce.number().int().min(1).max(2000).default(1000),
  CONVERSIONS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
});

/** Meta Graph API version used for Facebook Login (https://developers.facebook.com/docs/graph-api/changelog). */
export const META_GRAPH_VERSION = "v23.0";

function socialSignIn(
  name: string,
  idVar: string,
  secretVar: string,
  id: string | undefined,
  secretValue: string | undefined,
  production: boolean,
  live: Omit<SocialSignInConfig, "mode" | "clientId" | "clientSecret">,
  emulated: Omit<SocialSignInConfig, "mode" | "clientId" | "clientSecret">,
  problems: string[],
): SocialSignInConfig {
  if (id && !secretValue) problems.push(`${secretVar} is not set while ${idVar} is`);
  if (!id && secretValue) problems.push(`${idVar} is not set while ${secretVar} is`);
  if (id && secretValue) return { mode: "live", clientId: id, clientSecret: secretValue, ...live };
  // Production never emulates: without credentials the provider is simply not offered.
  if (production) return { mode: "off", clientId: "", clientSecret: "", ...live };
  return { mode: "emulated", clientId: `backbeat-emulated-${name}-client`, clientSecret: `backbeat-emulated-${name}-secret-0123456789abcdef`, ...emulated };
}

/** Secrets that must be at least this long (bytes of UTF-8). */
export const MIN_SECRET_BYTES = 32;

/**
 * Parses `BACKBEAT_KEY_RING` = `keyId:base64key[,keyId:base64key…]`; each key 32 bytes.
 * The active key is `BACKBEAT_ACTIVE_KEY_ID`, else the first listed.
 */
export function parseKeyRing(text: string | undefined, activeKeyId: string | undefined, problems: string[]): KeyRing | undefined {
  if (!text) {
    problems.push("BACKBEAT_KEY_RING is not set (keyId:base64-32-byte-key, comma-separated)");
    return undefined;
  }
  const keys = new Map<string, Buffer>();
  const entries = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const [index, entry] of entries.entries()) {
    const sep = entry.indexOf(":");
    const id = sep > 0 ? entry.slice(0, sep) : "";
    if (!/^[a-zA-Z0-9_-]{1,32}$/.test(id)) {
      // Never quote the entry: it may be a key (P02).
      problems.push(`BACKBEAT_KEY_RING: entry ${index + 1} needs the form keyId:base64key (key id of letters, digits, _ or -)`);
      continue;
    }
    const key = Buffer.from(entry.slice(sep + 1), "base64");
    if (key.length !== 32) {
      problems.push(`BACKBEAT_KEY_RING: key ${id} must be 32 bytes (base64), got ${key.length}`);
      continue;
    }
    keys.set(id, key);
  }
  const active = activeKeyId ?? [...keys.keys()][0];
  if (keys.size === 0) return undefined;
  if (!active || !keys.has(active)) {
    problems.push(`BACKBEAT_ACTIVE_KEY_ID: ${active} is not on the key ring`);
    return undefined;
  }
  return { activeKeyId: active, keys };
}

function secret(name: string, value: string | undefined, problems: string[]): string {
  if (!value) {
    problems.push(`${name} is not set (at least ${MIN_SECRET_BYTES} bytes)`);
    return "";
  }
  if (Buffer.byteLength(value) < MIN_SECRET_BYTES) problems.push(`${name} is shorter than ${MIN_SECRET_BYTES} bytes`);
  return value;
}

/** Pure: environment in, validated config out. @throws ConfigError listing every problem, one line each. */
export function parseConfig(env: Env): Config {
  // An empty variable (as in a copied .env.example) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === "production";

  if (production && !e.PUBLIC_URL) problems.push("PUBLIC_URL is not set (the public https origin of this Backbeat)");
  const publicUrl = (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, "");
  if (production && !publicUrl.startsWith("https://")) problems.push("PUBLIC_URL must be https in production");

  const keyRing = parseKeyRing(e.BACKBEAT_KEY_RING, e.BACKBEAT_ACTIVE_KEY_ID, problems);
  const cookieSecret = secret("COOKIE_SECRET", e.COOKIE_SECRET, problems);
  const visitorHashSecret = secret("VISITOR_HASH_SECRET", e.VISITOR_HASH_SECRET, problems);
  if (cookieSecret && cookieSecret === visitorHashSecret) problems.push("COOKIE_SECRET and VISITOR_HASH_SECRET must differ");
  const authSecret = secret("AUTH_SECRET", e.AUTH_SECRET, problems);
  if (authSecret && [cookieSecret, visitorHashSecret, e.JOB_SECRET].includes(authSecret)) {
    problems.push("AUTH_SECRET must differ from COOKIE_SECRET, VISITOR_HASH_SECRET and JOB_SECRET");
  }
  // P04: a short job secret disables the endpoints instead of weakening them.
  const jobSecret = e.JOB_SECRET && Buffer.byteLength(e.JOB_SECRET) >= MIN_SECRET_BYTES ? e.JOB_SECRET : undefined;

  const spotifyLive = Boolean(e.SPOTIFY_CLIENT_ID && e.SPOTIFY_CLIENT_SECRET);
  if (production && !spotifyLive) {
    problems.push("Spotify is emulated: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (production refuses emulators)");
  }
  if (e.SPOTIFY_CLIENT_ID && !e.SPOTIFY_CLIENT_SECRET) problems.push("SPOTIFY_CLIENT_SECRET is not set while SPOTIFY_CLIENT_ID is");
  const emulatorBase = `${publicUrl}/_emulator/spotify`;
  const spotify: SpotifyConfig = spotifyLive
    ? {
        mode: "live",
        clientId: e.SPOTIFY_CLIENT_ID!,
        clientSecret: e.SPOTIFY_CLIENT_SECRET!,
        accountsUrl: (e.SPOTIFY_ACCOUNTS_URL ?? "https://accounts.spotify.com").replace(/\/+$/, ""),
        apiUrl: (e.SPOTIFY_API_URL ?? "https://api.spotify.com/v1").replace(/\/+$/, ""),
        quotaMode: e.SPOTIFY_QUOTA_MODE ?? "development",
        redirectUri: `${publicUrl}/oauth/spotify/callback`,
      }
    : {
        mode: "emulated",
        clientId: "backbeat-emulated-client",
        clientSecret: "backbeat-emulated-secret-0123456789abcdef",
        accountsUrl: emulatorBase,
        apiUrl: `${emulatorBase}/v1`,
        quotaMode: e.SPOTIFY_QUOTA_MODE ?? "extended",
        redirectUri: `${publicUrl}/oauth/spotify/callback`,
      };

  const resendLive = Boolean(e.RESEND_API_KEY);
  if (production && !resendLive) problems.push("Resend is emulated: set RESEND_API_KEY (production refuses emulators; sign-in e-mails need it)");
  if (production && !e.MAIL_FROM) problems.push("MAIL_FROM is not set (e.g. Backbeat <no-reply@your-domain>, a domain verified with Resend)");
  const resend: ResendConfig = resendLive
    ? { mode: "live", apiKey: e.RESEND_API_KEY!, apiUrl: "https://api.resend.com", from: e.MAIL_FROM ?? "Backbeat <onboarding@resend.dev>" }
    : { mode: "emulated", apiKey: "re_backbeat_emulated_key", apiUrl: `${publicUrl}/_emulator/resend`, from: e.MAIL_FROM ?? "Backbeat <no-reply@backbeat.local>" };

  const googleEmu = `${publicUrl}/_emulator/google`;
  // Endpoints from https://accounts.google.com/.well-known/openid-configuration.
  const google = socialSignIn("google", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", e.GOOGLE_CLIENT_ID, e.GOOGLE_CLIENT_SECRET, production, {
    authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    userinfoUrl: "https://openidconnect.googleapis.com/v1/userinfo",
    issuer: "https://accounts.google.com",
    jwksUrl: "https://www.googleapis.com/oauth2/v3/certs",
  }, {
    authorizeUrl: `${googleEmu}/o/oauth2/v2/auth`,
    tokenUrl: `${googleEmu}/token`,
    userinfoUrl: `${googleEmu}/v1/userinfo`,
    issuer: googleEmu,
    jwksUrl: `${googleEmu}/oauth2/v3/certs`,
  }, problems);
  const metaEmu = `${publicUrl}/_emulator/meta`;
  // https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
  const meta = socialSignIn("meta", "META_APP_ID", "META_APP_SECRET", e.META_APP_ID, e.META_APP_SECRET, production, {
    authorizeUrl: `https://www.facebook.com/${META_GRAPH_VERSION}/dialog/oauth`,
    tokenUrl: `https://graph.facebook.com/${META_GRAPH_VERSION}/oauth/access_token`,
    userinfoUrl: `https://graph.facebook.com/${META_GRAPH_VERSION}/me`,
  }, {
    authorizeUrl: `${metaEmu}/${META_GRAPH_VERSION}/dialog/oauth`,
    tokenUrl: `${metaEmu}/${META_GRAPH_VERSION}/oauth/access_token`,
    userinfoUrl: `${metaEmu}/${META_GRAPH_VERSION}/me`,
  }, problems);

  const conversionsMode = e.CONVERSIONS_MODE ?? (production ? "live" : "emulated");
  if (production && conversionsMode === "emulated") problems.push("CONVERSIONS_MODE=emulated is refused in production (conversions would go to emulators)");
  const conversions: ConversionsConfig =
    conversionsMode === "live"
      ? {
          mode: "live",
          metaGraphUrl: `https://graph.facebook.com/${META_GRAPH_VERSION}`,
          googleDataManagerUrl: "https://datamanager.googleapis.com",
          redditAdsUrl: "https://ads-api.reddit.com",
          batchSize: e.CONVERSIONS_BATCH_SIZE,
          maxAttempts: e.CONVERSIONS_MAX_ATTEMPTS,
        }
      : {
          mode: "emulated",
          metaGraphUrl: `${publicUrl}/_emulator/meta/capi/${META_GRAPH_VERSION}`,
          googleDataManagerUrl: `${publicUrl}/_emulator/google/datamanager`,
          redditAdsUrl: `${publicUrl}/_emulator/reddit`,
          batchSize: e.CONVERSIONS_BATCH_SIZE,
          maxAttempts: e.CONVERSIONS_MAX_ATTEMPTS,
        };

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: e.BACKBEAT_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    keyRing: keyRing!,
    cookieSecret,
    visitorHashSecret,
    authSecret,
    jobSecret,
    countryHeader: e.COUNTRY_HEADER?.toLowerCase(),
    trustProxy: e.TRUST_PROXY === "true",
    seedDemo: e.BACKBEAT_SEED_DEMO ? e.BACKBEAT_SEED_DEMO === "true" : !production,
    eventFlushMs: e.EVENT_FLUSH_MS,
    apiRateLimitPerMinute: e.API_RATE_LIMIT,
    spotify,
    resend,
    google,
    meta,
    demoPassword: production ? undefined : e.BACKBEAT_DEMO_PASSWORD,
    fanSync: {
      ratePerSecond: e.FAN_SYNC_RATE_PER_SECOND,
      rateBurst: e.FAN_SYNC_RATE_BURST,
      revocationConfirmDelayMs: e.FAN_REVOCATION_CONFIRM_DELAY_MINUTES * 60_000,
      revocationBurstThreshold: e.FAN_REVOCATION_BURST_THRESHOLD,
      revocationBurstWindowMs: e.FAN_REVOCATION_BURST_WINDOW_MINUTES * 60_000,
    },
    traffic: {
      dedupeWindowMs: e.VISIT_DEDUPE_MINUTES * 60_000,
      visitorLimit: e.VELOCITY_VISITOR_LIMIT,
      visitorWindowMs: e.VELOCITY_VISITOR_WINDOW_SECONDS * 1000,
      linkLimit: e.VELOCITY_LINK_LIMIT,
      linkWindowMs: e.VELOCITY_LINK_WINDOW_SECONDS * 1000,
      maxEntries: e.TRAFFIC_STATE_MAX_ENTRIES,
      datacenterRangesFile: e.DATACENTER_RANGES_FILE,
    },
    fraud: {
      lookbackMs: e.FLAG_LOOKBACK_HOURS * 3_600_000,
      sharedDeviceAccounts: e.FLAG_SHARED_DEVICE_ACCOUNTS,
      sharedNetworkAccounts: e.FLAG_SHARED_IP_PREFIX_ACCOUNTS,
      rapidSavesCount: e.FLAG_RAPID_SAVES_COUNT,
      rapidSavesArtists: e.FLAG_RAPID_SAVES_ARTISTS,
      rapidSavesWindowMs: e.FLAG_RAPID_SAVES_MINUTES * 60_000,
      loopStreams: e.FLAG_LOOP_STREAMS,
      loopWindowMs: e.FLAG_LOOP_WINDOW_HOURS * 3_600_000,
    },
    consent: { mode: e.CONSENT_MODE, policyVersion: e.CONSENT_POLICY_VERSION },
    conversions,
    emulatorsMounted: !production,
  };
}

/**
 * Secrets for a laptop run: generated once into `<dataDir>/local-secrets.json` so
 * restarts still open sealed tokens. Never used in production.
 */
function localSecrets(dataDir: string): Env {
  const file = join(resolve(dataDir), "local-secrets.json");
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Env) : {};
  // Installs made before a secret existed get just the new one; existing values stay.
  const generators: Record<string, () => string> = {
    BACKBEAT_KEY_RING: () => `local1:${randomBytes(32).toString("base64")}`,
    COOKIE_SECRET: () => randomBytes(32).toString("base64url"),
    VISITOR_HASH_SECRET: () => randomBytes(32).toString("base64url"),
    AUTH_SECRET: () => randomBytes(32).toString("base64url"),
    BACKBEAT_DEMO_PASSWORD: () => randomBytes(12).toString("base64url"),
    // So `POST /internal/jobs/<name>` (README, "Fan sync") can be tried on a laptop.
    JOB_SECRET: () => randomBytes(32).toString("base64url"),
  };
  const missing = Object.keys(generators).filter((k) => !existing[k]);
  if (missing.length === 0) return existing;
  const generated: Env = { ...existing };
  for (const k of missing) generated[k] = generators[k]!();
  mkdirSync(resolve(dataDir), { recursive: true });
  writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  return generated;
}

/** Reads the process environment. Outside production, missing secrets come from the data dir. */
export function readConfig(env: Env = process.env): Config {
  if (env.NODE_ENV === "production") return parseConfig(env);
  const local = localSecrets(env.BACKBEAT_DATA_DIR ?? ".data");
  const merged: Env = { ...env };
  for (const [k, v] of Object.entries(local)) if (!merged[k]) merged[k] = v;
  return parseConfig(merged);
}
