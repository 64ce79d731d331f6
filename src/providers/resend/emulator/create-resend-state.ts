import type { Clock } from "../../../lib/clock";

export interface SentEmail {
  /** UUID, like Resend's ids. */
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  idempotencyKey: string | null;
}

export interface ResendFault {
  status: 429 | 500 | 502 | 503;
  /** How many requests fail (default 1). */
  times: number;
  /** `Retry-After` for 429, in seconds. */
  retryAfterSeconds?: number;
}

export interface ResendEmulatorOptions {
  clock: Clock;
  /** The one API key the emulator accepts (`Authorization: Bearer …`). */
  apiKey: string;
  /** Where it is mounted, e.g. `/_emulator/resend`. */
  basePath: string;
}

export interface ResendState {
  options: ResendEmulatorOptions;
  /** Newest last. */
  emails: SentEmail[];
  /** Idempotency key → canonical body and the answered id (24 h in Resend; forever here). */
  idempotency: Map<string, { body: string; id: string }>;
  faults: ResendFault[];
  /** Opt-in rate limit (Resend's default is 2 requests/s per team). */
  rateLimit: { maxRequests: number; windowSeconds: number } | null;
  recentRequests: number[];
}

export function createResendState(options: ResendEmulatorOptions): ResendState {
  return { options, emails: [], idempotency: new Map(), faults: [], rateLimit: null, recentRequests: [] };
}
