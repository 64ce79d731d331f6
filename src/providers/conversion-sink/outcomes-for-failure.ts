import { isProviderError } from "../../lib/provider-error";
import type { SinkEvent, SinkResult } from "./port";

/**
 * Maps a thrown error of a whole-batch call to per-event outcomes: retryable (429 / 5xx /
 * timeout) → `retry` for all; a refused credential / destination (401, 403, 404, Graph 190)
 * → `rejected` for all; a 4xx on one event → `rejected` with the platform reason; a
 * 4xx on several events of an all-or-nothing API → `unsent` (the caller resends them one by
 * one so the reason lands on the right row).
 */
export function outcomesForFailure(error: unknown, events: SinkEvent[]): SinkResult {
  const excerpt = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  if (!isProviderError(error)) throw error;
  const httpStatus = error.status;
  if (error.retryable) {
    return { httpStatus, excerpt, outcomes: events.map((e) => ({ eventId: e.eventId, status: "retry", reason: error.kind, retryAfterMs: error.retryAfterMs })) };
  }
  const reason = typeof error.details === "string" ? error.details : error.kind;
  // Credentials or destination refused: no event of the batch can pass, splitting would only
  // multiply calls.
  const destinationLevel = error.kind === "unauthorized" || error.kind === "forbidden" || error.kind === "not_found";
  if (events.length === 1 || destinationLevel) return { httpStatus, excerpt, outcomes: events.map((e) => ({ eventId: e.eventId, status: "rejected", reason })) };
  return { httpStatus, excerpt, outcomes: events.map((e) => ({ eventId: e.eventId, status: "unsent", reason })) };
}
