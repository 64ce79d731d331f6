import type { Config } from "./config";
import type { Db } from "./db/client";
import type { JobQueue } from "./jobs/job-queue";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { EventRecorder } from "./modules/attribution/create-event-buffer";
import type { MusicService } from "./providers/spotify/port";

/** Who is acting. Platform users and API keys arrive with the accounts module. */
export type Actor = { kind: "system" } | { kind: "cli" } | { kind: "fan"; playUserId: string | null };

/** What every verb receives: `verb({ ctx, input })`. `db` may be a transaction. */
export interface Ctx {
  actor: Actor;
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Config;
  music: MusicService;
  jobs: JobQueue;
  events: EventRecorder;
}
