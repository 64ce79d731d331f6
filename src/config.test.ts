import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const key = (n: number) => Buffer.alloc(32, n).toString("base64");

describe("parseConfig", () => {
  it("runs a laptop with defaults: emulated Spotify, PGlite, loopback public URL", () => {
    const config = parseConfig({ BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32) });
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
    expect(text).toMatch(/Spotify is emulated/);
    expect(error!.message.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(error!.problems.length);
  });

  it("P01 production refuses a key ring with a short key or an unknown active key", () => {
    const base = {
      NODE_ENV: "production",
      PUBLIC_URL: "https://go.example.com",
      COOKIE_SECRET: "c".repeat(32),
      VISITOR_HASH_SECRET: "v".repeat(32),
      SPOTIFY_CLIENT_ID: "id",
      SPOTIFY_CLIENT_SECRET: "secret",
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

  it("refuses an http PUBLIC_URL in production", () => {
    expect(() => parseConfig({ NODE_ENV: "production", PUBLIC_URL: "http://go.example.com" })).toThrow(/must be https/);
  });

  it("P04 a short job secret disables the job endpoints instead of weakening them", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32) };
    expect(parseConfig({ ...base, JOB_SECRET: "short" }).jobSecret).toBeUndefined();
    expect(parseConfig({ ...base, JOB_SECRET: "j".repeat(32) }).jobSecret).toBe("j".repeat(32));
  });

  it("treats empty variables as unset and names the field of a bad value", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32) };
    expect(parseConfig({ ...base, SPOTIFY_API_URL: "", DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(() => parseConfig({ ...base, PORT: "eighty" })).toThrow(/PORT/);
  });

  it("fan sync settings: defaults, minutes to ms, and a bad value names its field", () => {
    const base = { BACKBEAT_KEY_RING: `k1:${key(1)}`, COOKIE_SECRET: "c".repeat(32), VISITOR_HASH_SECRET: "v".repeat(32) };
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
});
