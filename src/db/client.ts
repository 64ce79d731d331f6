import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { AppError } from "../lib/errors";
import * as schema from "./schema/index";

export type Schema = typeof schema;
/** Raw query results on both drivers (pg's `QueryResult`, PGlite's `Results`) carry `rows`. */
export interface RowsResultHKT extends PgQueryResultHKT {
  type: { rows: Record<string, unknown>[] };
}
/** The Drizzle handle every verb uses; the same type on PGlite and PostgreSQL. */
export type Db = PgDatabase<RowsResultHKT, Schema>;

/** Minimal SQL surface for pg-boss and raw statements, on either engine. */
export interface SqlExecutor {
  /** One statement with `$1…` parameters, or several statements without parameters. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface Database {
  kind: "pglite" | "postgres";
  db: Db;
  sql: SqlExecutor;
  /** Applies committed migrations from `src/db/migrations`. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Opens PostgreSQL when `databaseUrl` is set, otherwise PGlite: on disk in `dataDir`,
 * or in memory when `dataDir` is `":memory:"` (tests).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Use this PGlite instance (tests clone a migrated template: ~10× faster than a cold start). */
  pglite?: PGlite;
  /** Called when PostgreSQL drops an idle pooled connection. */
  onIdleError?: (err: Error) => void;
}): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover, admin) must not crash
    // the process: the pool discards it and the next query opens a new one.
    pool.on("error", (err) => options.onIdleError?.(err));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      kind: "postgres",
      db,
      sql: {
        async executeSql(text, values) {
          const result = await pool.query(text, values as unknown[] | undefined);
          // Multi-statement text yields one result per statement; callers want the last.
          const last = Array.isArray(result) ? result[result.length - 1] : result;
          return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
        },
      },
      migrate: () => migratePg(drizzlePg(pool), { migrationsFolder }),
      close: () => pool.end(),
    };
  }
  let client: PGlite;
  let unlock = () => {};
  if (options.pglite) {
    client = options.pglite;
  } else if (options.dataDir === ":memory:") {
    client = new PGlite();
  } else {
    const dir = resolve(options.dataDir, "pglite");
    mkdirSync(dirname(dir), { recursive: true });
    unlock = lockDataDir(resolve(options.dataDir));
    if (!existsSync(join(dir, "PG_VERSION"))) {
      // First run: PGlite's initdb keeps ~500 MB of WebAssembly memory alive for the life
      // of the instance. Initialise, close, and reopen so a new install runs as lean as a
      // restarted one (~300 MB instead of ~850 MB resident).
      const initialising = new PGlite(dir);
      await initialising.waitReady;
      await initialising.close();
    }
    client = new PGlite(dir);
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    sql: {
      async executeSql(text, values) {
        // PGlite's `query` takes exactly one statement; pg-boss sends multi-statement
        // scripts (schema creation, locked transactions) without parameters, so those go
        // through `exec`.
        if (values && values.length > 0) {
          const result = await client.query<Record<string, unknown>>(text, values);
          return { rows: result.rows };
        }
        const results = await client.exec(text);
        return { rows: (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[] };
      },
    },
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/**
 * PGlite is one process's embedded database: a second process opening the same files
 * would corrupt them. A lock file with the owner's pid refuses that with a clear error
 * and is taken over when its owner is gone.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "pglite.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(file, "utf8"));
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = pid !== process.pid;
      } catch {
        alive = false;
      }
      if (alive) {
        throw new AppError("UNAVAILABLE", `the embedded database in ${dataDir} is in use by process ${pid}; stop that Backbeat first, or set DATABASE_URL to use PostgreSQL`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${file}`);
}
