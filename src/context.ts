import type { Config } from "./config";
import type { Db } from "./db/client";
import type { JobQueue } from "./jobs/job-queue";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { EventRecorder } from "./modules/attribution/create-event-buffer";
import type { TrafficGate } from "./modules/attribution/create-traffic-gate";
import type { Mailer } from "./providers/resend/port";
import type { MusicService } from "./providers/spotify/port";
import type { ConsentGate } from "./modules/conversions/consent-gate";
import type { ConversionSinks } from "./modules/conversions/create-conversion-sinks";

/**
 * Who is acting. `user` is a signed-in Platform user (Better Auth session); `api_key` an
 * organization's API key with its scopes (see the accounts module).
 */
export type Actor =
  | { kind: "system" }
  | { kind: "cli" }
  | { kind: "fan"; playUserId: string | null }
  | { kind: "user"; userId: string; sessionId: string }
  | { kind: "api_key"; apiKeyId: string; organizationId: string; scopes: string[] };

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
  /** Per-node landing traffic gate: exclusions, dedupe, velocity, counters. */
  traffic: TrafficGate;
  /** Transactional e-mail (Resend or its emulator). */
  mailer: Mailer;
  /** Server-side conversion delivery: one sink per platform, and the ad-consent gate (P12). */
  conversions: { sinks: ConversionSinks; consent: ConsentGate };
}
