import { z } from "zod";

/**
 * A fault the conversions emulators inject into their next `times` ingest calls:
 * `429` (with `Retry-After: retryAfterSeconds`), `500` / `502` / `503`, or `timeout`
 * (the answer is held for `delayMs`, longer than the client's timeout).
 */
export interface EmulatorFault {
  status: 429 | 500 | 502 | 503 | "timeout";
  times: number;
  retryAfterSeconds?: number | undefined;
  delayMs?: number | undefined;
}

export const emulatorFaultInput = z.object({
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal("timeout")]),
  times: z.number().int().min(1).max(1000).default(1),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(1).max(120_000).optional(),
});

/** Takes one use of the first queued fault, or null. */
export function takeEmulatorFault(faults: EmulatorFault[]): EmulatorFault | null {
  const fault = faults[0];
  if (!fault) return null;
  fault.times -= 1;
  if (fault.times <= 0) faults.shift();
  return fault;
}

/**
 * A partial failure the conversions emulators inject: every later request carrying the event
 * `eventId` (Meta `event_id`, Google `transactionId`, Reddit `metadata.conversion_id`) has
 * that event refused with `reason`, in the platform's own error shape — a per-event
 * violation for Google (the rest of the batch is ingested), a 400 naming `data[i]` /
 * `data.events[i]` for the all-or-nothing Meta and Reddit APIs.
 */
export const emulatorRejectionInput = z.object({ eventId: z.string().min(1).max(200), reason: z.string().min(1).max(300).default("Rejected by the emulator (injected)") });
