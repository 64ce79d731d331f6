import { Hono } from "hono";
import type { SpotifyConfig } from "../../../config";
import { createFakeClock, type FakeClock } from "../../../lib/clock";
import { createLogger } from "../../../lib/logger";
import type { FanTokenStore, MusicService, TokenSet } from "../port";
import { createSpotifyService } from "./index";

/**
 * Test support for the Spotify client's unit tests (not an emulator): a Hono app the test
 * fills with exactly the routes it needs, served through an injected fetch that records
 * every request.
 */

export const ACCOUNTS_URL = "https://accounts.spotify.test";
export const API_URL = "https://api.spotify.test/v1";

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | null;
  body: string;
}

export function testConfig(overrides: Partial<SpotifyConfig> = {}): SpotifyConfig {
  return {
    mode: "live",
    clientId: "client-id-123",
    clientSecret: "client-secret-very-secret-0001",
    accountsUrl: ACCOUNTS_URL,
    apiUrl: API_URL,
    quotaMode: "development",
    redirectUri: "http://127.0.0.1:3000/oauth/spotify/callback",
    ...overrides,
  };
}

export interface Harness {
  app: Hono;
  service: MusicService;
  calls: RecordedCall[];
  sleeps: number[];
  clock: FakeClock;
  /** Calls whose path starts with `prefix` (`/api/token`, `/v1/me/library`…). */
  callsTo(prefix: string): RecordedCall[];
}

export function createHarness(overrides: Partial<SpotifyConfig> = {}): Harness {
  const app = new Hono();
  const calls: RecordedCall[] = [];
  const sleeps: number[] = [];
  const clock = createFakeClock("2026-11-29T12:00:00Z");
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    calls.push({
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.get("authorization"),
      body: await req.clone().text(),
    });
    return app.fetch(req);
  };
  const service = createSpotifyService(testConfig(overrides), {
    clock,
    logger: createLogger({ level: "silent" }),
    fetch: fetchImpl as typeof fetch,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { app, service, calls, sleeps, clock, callsTo: (prefix) => calls.filter((c) => c.path.startsWith(prefix)) };
}

/** A base62 id of 22 characters derived from `seed` (tests only). */
export function fakeId(seed: string | number): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let n = 0;
  for (const ch of String(seed)) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  let out = "";
  for (let i = 0; i < 22; i++) {
    n = (n * 1103515245 + 12345) >>> 0;
    out += alphabet[n % 62];
  }
  return out;
}

export interface MemoryStore extends FanTokenStore {
  tokens: TokenSet;
  /** "load", "save:<accessToken>" in call order. */
  events: string[];
}

export function memoryStore(initial: TokenSet, key = "fan_1"): MemoryStore {
  const store: MemoryStore = {
    key,
    tokens: initial,
    events: [],
    async load() {
      store.events.push("load");
      return store.tokens;
    },
    async save(tokens) {
      store.events.push(`save:${tokens.accessToken}`);
      store.tokens = tokens;
    },
  };
  return store;
}
