import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, readConfig } from "./config";

const key = (n: number) => Buffer.alloc(32, n).toString("base64");

describe("parseConfig", () => {
  it("runs a laptop with defaults: emulated Spotify, PGlite, loopback public URL", () => {
    const config = parseConfig({ BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) });
    expect(config.env).toBe("development");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe("http://127.0.0.1:3000");
    expect(config.spotify.mode).toBe("emulated");
    expect(config.spotify.redirectUri).toBe("http://127.0.0.1:3000/oauth/spotify/callback");
    expect(config.emulatorsMounted).toBe(true);
    expect(config.seedDemo).toBe(true);
  });

  it("refuses production with emulated providers, no key ring, no PUBLIC_URL and no secrets, one line per problem", () => {
    let error: ConfigError | undefined;
    try {
      parseConfig({ NODE_ENV: "production" });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join("\n");
    expect(text).toMatch(/PUBLIC_URL is not set/);
    expect(text).toMatch(/BACKBEAT_KEY_RING is not set/);
    expect(text).toMatch(/COOKIE_SECRET is not set/);
    expect(text).toMatch(/VISITOR_HASH_SECRET is not set/);
    expect(text).toMatch(/AUTH_SECRET is not set/);
    expect(text).toMatch(/Spotify is emulated/);
    expect(error!.message.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(error!.problems.length);
  });

  it("P01 production refuses a key ring with a short key or an unknown active key", () => {
    const base = {
      NODE_ENV: "production",
      PUBLIC_URL: "https://go.example.com",
      COOKIE_SECRET: "c".repeat(32),
      VISITOR_HASH_SECRET: "v".repeat(32),
      AUTH_SECRET: "a".repeat(32),
      SPOTIFY_CLIENT_ID: "id",
      SPOTIFY_CLIENT_SECRET: "secret",
      RESEND_API_KEY: "re_live",
      MAIL_FROM: "Backbeat <no-reply@example.com>",
    };
    expect(() => parseConfig({ ...base, BACKBEAT_KEY_RING: `k1:${Buffer.alloc(16).toString("base64")}` })).toThrow(/must be 32 bytes/);
    expect(() => parseConfig({ ...base, BACKBEAT_KEY_RING: `k1:${key(1)}`, BACKBEAT_ACTIVE_KEY_ID: "k9" })).toThrow(/not on the key ring/);
    expect(() => parseConfig({ ...base, COOKIE_SECRET: "short", BACKBEAT_KEY_RING: `k1:${key(1)}` })).toThrow(/COOKIE_SECRET is shorter/);
    const ok = parseConfig({ ...base, BACKBEAT_KEY_RING: `k1:${key(1)},k2:${key(2)}`, BACKBEAT_ACTIVE_KEY_ID: "k2" });
    expect(ok.keyRing.activeKeyId).toBe("k2");
    expect(ok.spotify.mode).toBe("live");
    expect(ok.spotify.accountsUrl).toBe("https://accounts.spotify.com");
    expect(ok.emulatorsMounted).toBe(false);
  });

  it("refuses a short AUTH_SECRET or one equal to another secret", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32) };
    expect(() => parseConfig({ ...base, AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET is shorter/);
    expect(() => parseConfig({ ...base, AUTH_SECRET: "c".repeat(32) })).toThrow(/AUTH_SECRET must differ/);
    expect(() => parseConfig({ ...base, AUTH_SECRET: "j".repeat(32), JOB_SECRET: "j".repeat(32) })).toThrow(/AUTH_SECRET must differ/);
  });

  it("production refuses emulated Resend and a missing MAIL_FROM; never emulates Google or Meta (off without credentials)", () => {
    const base = {
      NODE_ENV: "production",
      PUBLIC_URL: "https://go.example.com",
      BACKBEAT_KEY_RING: `k1:${key(1)}`,
      COOKIE_SECRET: "c".repeat(32),
      VISITOR_HASH_SECRET: "v".repeat(32),
      AUTH_SECRET: "a".repeat(32),
      SPOTIFY_CLIENT_ID: "id",
      SPOTIFY_CLIENT_SECRET: "secret",
    };
    expect(() => parseConfig(base)).toThrow(/Resend is emulated/);
    expect(() => parseConfig(base)).toThrow(/MAIL_FROM is not set/);
    expect(() => parseConfig({ ...base, AUTH_SECRET: undefined })).toThrow(/AUTH_SECRET is not set/);
    const ok = parseConfig({ ...base, RESEND_API_KEY: "re_live", MAIL_FROM: "Backbeat <no-reply@example.com>" });
    expect(ok.resend).toMatchObject({ mode: "live", apiUrl: "https://api.resend.com" });
    expect(ok.google.mode).toBe("off");
    expect(ok.meta.mode).toBe("off");
    expect(ok.demoPassword).toBeUndefined();
    const live = parseConfig({ ...base, RESEND_API_KEY: "re_live", MAIL_FROM: "x <a@b.c>", GOOGLE_CLIENT_ID: "g", GOOGLE_CLIENT_SECRET: "gs", META_APP_ID: "m", META_APP_SECRET: "ms" });
    expect(live.google).toMatchObject({ mode: "live", authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth", issuer: "https://accounts.google.com" });
    expect(live.meta).toMatchObject({ mode: "live", authorizeUrl: "https://www.facebook.com/v23.0/dialog/oauth", tokenUrl: "https://graph.facebook.com/v23.0/oauth/access_token" });
    expect(() => parseConfig({ ...base, RESEND_API_KEY: "re_live", MAIL_FROM: "x <a@b.c>", GOOGLE_CLIENT_ID: "g" })).toThrow(/GOOGLE_CLIENT_SECRET is not set/);
    expect(() => parseConfig({ ...base, RESEND_API_KEY: "re_live", MAIL_FROM: "x <a@b.c>", META_APP_SECRET: "ms" })).toThrow(/META_APP_ID is not set/);
  });

  it("outside production, Resend, Google and Meta are emulated under PUBLIC_URL when unset", () => {
    const config = parseConfig({ BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) });
    expect(config.resend).toMatchObject({ mode: "emulated", apiUrl: "http://127.0.0.1:3000/_emulator/resend" });
    expect(config.google).toMatchObject({ mode: "emulated", issuer: "http://127.0.0.1:3000/_emulator/google" });
    expect(config.meta).toMatchObject({ mode: "emulated", authorizeUrl: "http://127.0.0.1:3000/_emulator/meta/v23.0/dialog/oauth" });
  });

  it("refuses an http PUBLIC_URL in production", () => {
    expect(() => parseConfig({ NODE_ENV: "production", PUBLIC_URL: "http://go.example.com" })).toThrow(/must be https/);
  });

  it("P04 a short job secret disables the job endpoints instead of weakening them", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) };
    expect(parseConfig({ ...base, JOB_SECRET: "short" }).jobSecret).toBeUndefined();
    expect(parseConfig({ ...base, JOB_SECRET: "j".repeat(32) }).jobSecret).toBe("j".repeat(32));
  });

  it("treats empty variables as unset and names the field of a bad value", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) };
    expect(parseConfig({ ...base, SPOTIFY_API_URL: "", DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(() => parseConfig({ ...base, PORT: "eighty" })).toThrow(/PORT/);
  });

  it("consent settings: opt-in with policy 1 by default; other modes; bad values name their field", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) };
    expect(parseConfig(base).consent).toEqual({ mode: "opt-in", policyVersion: "1" });
    expect(parseConfig({ ...base, CONSENT_MODE: "opt-out", CONSENT_POLICY_VERSION: "2026-11.b" }).consent).toEqual({ mode: "opt-out", policyVersion: "2026-11.b" });
    expect(parseConfig({ ...base, CONSENT_MODE: "off" }).consent.mode).toBe("off");
    expect(() => parseConfig({ ...base, CONSENT_MODE: "yes" })).toThrow(/CONSENT_MODE/);
    expect(() => parseConfig({ ...base, CONSENT_POLICY_VERSION: "v 2; x" })).toThrow(/CONSENT_POLICY_VERSION/);
  });

  it("fan sync settings: defaults, minutes to ms, and a bad value names its field", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) };
    expect(parseConfig(base).fanSync).toEqual({
      ratePerSecond: 10,
      rateBurst: 50,
      revocationConfirmDelayMs: 3_600_000,
      revocationBurstThreshold: 20,
      revocationBurstWindowMs: 3_600_000,
    });
    expect(parseConfig({ ...base, FAN_REVOCATION_CONFIRM_DELAY_MINUTES: "5", FAN_SYNC_RATE_PER_SECOND: "2.5" }).fanSync).toMatchObject({ revocationConfirmDelayMs: 300_000, ratePerSecond: 2.5 });
    expect(() => parseConfig({ ...base, FAN_REVOCATION_BURST_THRESHOLD: "0" })).toThrow(/FAN_REVOCATION_BURST_THRESHOLD/);
    expect(() => parseConfig({ ...base, FAN_SYNC_RATE_PER_SECOND: "-1" })).toThrow(/FAN_SYNC_RATE_PER_SECOND/);
  });

  it("traffic quality and fraud flag settings: defaults, units, and a bad value names its field", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32), AUTH_SECRET: "a".repeat(32) };
    expect(parseConfig(base).traffic).toEqual({
      dedupeWindowMs: 1_800_000,
      visitorLimit: 30,
      visitorWindowMs: 60_000,
      linkLimit: 6000,
      linkWindowMs: 60_000,
      maxEntries: 200_000,
      datacenterRangesFile: undefined,
    });
    expect(parseConfig(base).fraud).toEqual({
      lookbackMs: 7 * 86_400_000,
      sharedDeviceAccounts: 4,
      sharedNetworkAccounts: 20,
      rapidSavesCount: 8,
      rapidSavesArtists: 4,
      rapidSavesWindowMs: 600_000,
      loopStreams: 40,
      loopWindowMs: 86_400_000,
    });
    expect(parseConfig({ ...base, VISIT_DEDUPE_MINUTES: "0", DATACENTER_RANGES_FILE: "/srv/ranges.json" }).traffic).toMatchObject({ dedupeWindowMs: 0, datacenterRangesFile: "/srv/ranges.json" });
    expect(() => parseConfig({ ...base, VISIT_DEDUPE_MINUTES: "-1" })).toThrow(/VISIT_DEDUPE_MINUTES/);
    expect(() => parseConfig({ ...base, FLAG_SHARED_DEVICE_ACCOUNTS: "1" })).toThrow(/FLAG_SHARED_DEVICE_ACCOUNTS/);
    expect(() => parseConfig({ ...base, VELOCITY_VISITOR_LIMIT: "many" })).toThrow(/VELOCITY_VISITOR_LIMIT/);
  });
  it("conversions: emulated outside production under PUBLIC_URL; production refuses CONVERSIONS_MODE=emulated", () => {
    const local = parseConfig({ NODE_ENV: "test", PUBLIC_URL: "http://127.0.0.1:3999", BACKBEAT_KEY_RING: `k:${Buffer.alloc(32, 1).toString("base64")}`, COOKIE_SECRET: "c".repeat(40), VISITOR_HASH_SECRET: "v".repeat(40), AUTH_SECRET: "a".repeat(40) });
    expect(local.conversions).toMatchObject({ mode: "emulated", metaGraphUrl: "http://127.0.0.1:3999/_emulator/meta/capi/v23.0", googleDataManagerUrl: "http://127.0.0.1:3999/_emulator/google/datamanager", redditAdsUrl: "http://127.0.0.1:3999/_emulator/reddit", batchSize: 1000 });
    expect(() => parseConfig({ NODE_ENV: "production", CONVERSIONS_MODE: "emulated" })).toThrow(/CONVERSIONS_MODE=emulated is refused in production/);
    expect(() => parseConfig({ NODE_ENV: "test", CONVERSIONS_BATCH_SIZE: "5000" })).toThrow();
  });
});

describe("readConfig outside production", () => {
  it("P04 generates a local job secret once (so the README's POST /internal/jobs/<name> works on a laptop), keeps it across starts, adds it to older installs; JOB_SECRET wins", () => {
    const dir = mkdtempSync(join(tmpdir(), "backbeat-config-"));
    try {
      const first = readConfig({ BACKBEAT_DATA_DIR: dir });
      expect(Buffer.byteLength(first.jobSecret ?? "")).toBeGreaterThanOrEqual(32);
      const stored = JSON.parse(readFileSync(join(dir, "local-secrets.json"), "utf8")) as Record<string, string>;
      expect(stored.JOB_SECRET).toBe(first.jobSecret);
      expect(readConfig({ BACKBEAT_DATA_DIR: dir }).jobSecret).toBe(first.jobSecret);
      // An install made before the job secret was generated gets it; its other secrets stay.
      const { JOB_SECRET: _dropped, ...older } = stored;
      writeFileSync(join(dir, "local-secrets.json"), JSON.stringify(older));
      const upgraded = readConfig({ BACKBEAT_DATA_DIR: dir });
      expect(Buffer.byteLength(upgraded.jobSecret ?? "")).toBeGreaterThanOrEqual(32);
      expect(upgraded.cookieSecret).toBe(first.cookieSecret);
      expect(readConfig({ BACKBEAT_DATA_DIR: dir, JOB_SECRET: "j".repeat(32) }).jobSecret).toBe("j".repeat(32));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
