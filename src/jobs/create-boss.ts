import PgBoss from "pg-boss";
import type { Database } from "../db/client";
import type { Logger } from "../lib/logger";

/**
 * pg-boss on either engine. On PostgreSQL it opens its own small pool; on PGlite it
 * shares the one embedded connection through `Database.sql` (PGlite has no sockets).
 */
export function createBoss(database: Database, options: { databaseUrl?: string | undefined; logger: Logger; maintain: boolean }): PgBoss {
  // Only nodes that run workers maintain the queue (expiry, archiving) and fire crons.
  const roles = { supervise: options.maintain, schedule: options.maintain };
  const boss = database.kind === "postgres" && options.databaseUrl
    ? new PgBoss({ connectionString: options.databaseUrl, max: 4, schema: "pgboss", ...roles })
    : new PgBoss({ db: database.sql, schema: "pgboss", ...roles });
  boss.on("error", (err: unknown) => options.logger.error({ err }, "job queue error"));
  return boss;
}
