import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";
import { openDatabase, type Database } from "../../src/db/client";
import pg from "pg";
import type { Hono } from "hono";
import { CookieJar } from "tough-cookie";
import { createApp } from "../../src/app";
import { parseConfig, type Config } from "../../src/config";
import { createFakeClock, type FakeClock } from "../../src/lib/clock";
import { createLogger } from "../../src/lib/logger";
import { createRuntime, type Runtime } from "../../src/runtime";

export const TEST_PUBLIC_URL = "http://127.0.0.1:3999";

/** Environment for tests: fixed secrets, emulated providers, in-memory PGlite or a fresh PostgreSQL database. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: "test",
    PUBLIC_URL: TEST_PUBLIC_URL,
    BACKBEAT_DATA_DIR: ":memory:",
    BACKBEAT_KEY_RING: `test1:${Buffer.alloc(32, 7).toString("base64")}`,
    COOKIE_SECRET: "test-cookie-secret-0123456789abcdef0123456789",
    VISITOR_HASH_SECRET: "test-visitor-secret-0123456789abcdef0123456",
    JOB_SECRET: "test-job-secret-0123456789abcdef0123456789ab",
    AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789a",
    LOG_LEVEL: "silent",
    EVENT_FLUSH_MS: "60000",
    ...overrides,
  };
}

/**
 * When TEST_DATABASE_URL is set, each runtime gets its own new database on that server
 * (dropped on close), so test files stay isolated and can run in parallel.
 */
async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return null;
  const name = `bb_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      // Let closing pools finish their goodbyes first: forcing a connection that is still
      // ending makes the server kill it mid-close, which surfaces as an unhandled error.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

let template: Promise<PGlite> | null = null;

/**
 * One migrated PGlite (app schema + pg-boss schema) per test worker; each test gets a
 * clone of it. A cold PGlite start costs seconds; a clone well under one.
 */
async function clonePglite(): Promise<Database> {
  template ??= (async () => {
    const pglite = new PGlite();
    const db = await openDatabase({ dataDir: ":memory:", pglite });
    await db.migrate();
    const boss = new PgBoss({ db: db.sql, schema: "pgboss", supervise: false, schedule: false });
    await boss.start();
    await boss.stop({ graceful: false, wait: true });
    return pglite;
  })();
  const copy = (await (await template).clone()) as PGlite;
  return openDatabase({ dataDir: ":memory:", pglite: copy });
}

export interface TestApp {
  runtime: Runtime;
  app: Hono;
  clock: FakeClock;
  config: Config;
  /** A browser-like client: a cookie jar, same-origin headers, manual redirects. */
  browser(): TestBrowser;
  close(): Promise<void>;
}

export interface TestBrowser {
  jar: CookieJar;
  request(path: string, init?: RequestInit & { userAgent?: string }): Promise<Response>;
  /** Follows redirects within the app (including the emulator); returns the last response. */
  follow(path: string, init?: RequestInit): Promise<{ response: Response; url: string }>;
}

export async function createTestApp(options: { env?: Record<string, string | undefined>; start?: string; logLines?: string[] } = {}): Promise<TestApp> {
  const clock = createFakeClock(options.start ?? "2026-11-29T12:00:00Z");
  const pgdb = await freshPostgres();
  const config = parseConfig(testEnv({ ...(pgdb ? { DATABASE_URL: pgdb.url } : {}), ...options.env }));
  const database = pgdb ? undefined : await clonePglite();
  const runtime = await createRuntime(config, {
    clock,
    logger: options.logLines
      ? createLogger({ level: "trace", destination: { write: (line: string) => void options.logLines!.push(line) } })
      : createLogger({ level: "silent" }), ...(database ? { database } : {}) });
  const app = createApp(runtime);

  const browser = (): TestBrowser => {
    const jar = new CookieJar();
    const request = async (path: string, init: RequestInit & { userAgent?: string } = {}) => {
      const url = new URL(path, TEST_PUBLIC_URL).toString();
      const headers = new Headers(init.headers);
      const cookie = await jar.getCookieString(url);
      if (cookie) headers.set("cookie", cookie);
      headers.set("user-agent", init.userAgent ?? "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1");
      if (init.method && init.method !== "GET" && !headers.has("origin")) headers.set("origin", new URL(TEST_PUBLIC_URL).origin);
      const response = await app.request(url, { ...init, headers, redirect: "manual" });
      for (const setCookie of response.headers.getSetCookie()) await jar.setCookie(setCookie, url);
      return response;
    };
    const follow = async (path: string, init: RequestInit = {}) => {
      let response = await request(path, init);
      let url = new URL(path, TEST_PUBLIC_URL).toString();
      for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
        const location = response.headers.get("location");
        if (!location) break;
        url = new URL(location, url).toString();
        if (!url.startsWith(TEST_PUBLIC_URL)) break;
        response = await request(url);
      }
      return { response, url };
    };
    return { jar, request, follow };
  };

  return {
    runtime,
    app,
    clock,
    config,
    browser,
    async close() {
      await runtime.close();
      await pgdb?.drop();
    },
  };
}
