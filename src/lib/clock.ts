/**
 * The injected clock. Every "now" in Backbeat comes from a `Clock` so tests can
 * move time (OAuth state expiry, token expiry, pre-save release day) without sleeping.
 */
export interface Clock {
  /** Current instant (UTC). */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start`, moves only when told. */
export interface FakeClock extends Clock {
  set(at: Date | string): void;
  /** Moves forward by `ms` milliseconds. */
  advance(ms: number): void;
}

export function createFakeClock(start: Date | string = "2026-11-29T12:00:00Z"): FakeClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
