/**
 * A per-app signal that drops the public pages' per-node caches (landing data and rendered
 * pages, 5 s TTL). The app fires it after a successful write through `/api/v1`, so an
 * artist who publishes or edits in the dashboard sees the change at once on this node;
 * other nodes catch up within the TTL.
 */
export interface CacheReset {
  /** Drops every cache registered with `onReset`. */
  reset(): void;
  /** Registers a cache's clear function. */
  onReset(clear: () => void): void;
}

export function createCacheReset(): CacheReset {
  const clears: Array<() => void> = [];
  return {
    reset: () => {
      for (const clear of clears) clear();
    },
    onReset: (clear) => void clears.push(clear),
  };
}
