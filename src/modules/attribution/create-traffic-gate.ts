/**
 * The traffic gate: decides, per landing request or tracked service click, whether it is a
 * counted human request (a VIEW / SERVICE_CLICK event) or which exclusion applies, and adds
 * the request to the aggregated `traffic_counters` (under its `kind`) in every case.
 * Per-node, in memory, bounded.
 *
 * Order: `head` → `prefetch` → `link_preview` → `bot` (classifyVisit) → `datacenter_ip` →
 * `velocity_visitor` → `duplicate` → `velocity_link` → `counted`.
 *
 * Visits and service clicks follow the same rules with separate state where it matters:
 * the dedupe window is per visitor hash and target (a landing; for a click, the landing and
 * the service, so Spotify then Apple Music are two counted clicks, a second Spotify tap
 * inside the window a `duplicate`), the link velocity per landing and kind. The visitor
 * velocity is one window per visitor hash over all its requests, visits and clicks alike.
 *
 * Across nodes nothing is shared: with N web nodes behind a load balancer a visitor can be
 * counted at most once per node per dedupe window (and get up to N× the velocity limit);
 * sticky sessions (or one node) make it exact. The visitor hash rotates at UTC midnight, so
 * a visit right after midnight counts again.
 */
import { LRUCache } from "lru-cache";
import { classifyVisit } from "./classify-visit";
import type { EventRecorder, TrafficKind, TrafficReason } from "./create-event-buffer";
import type { DatacenterMatcher } from "./create-datacenter-matcher";

export interface TrafficGateConfig {
  /** A repeat view of one landing by one visitor hash within this many ms is `duplicate`. 0 disables. */
  dedupeWindowMs: number;
  /** Requests of one visitor hash (all landings) allowed per `visitorWindowMs`; beyond → `velocity_visitor`. */
  visitorLimit: number;
  visitorWindowMs: number;
  /** Counted views (or counted clicks) of one landing allowed per `linkWindowMs` on this node; beyond → `velocity_link`. */
  linkLimit: number;
  linkWindowMs: number;
  /** Upper bound on visitor entries kept in each in-memory table (LRU). */
  maxEntries: number;
}

export interface ScreenVisitInput {
  method: string;
  headers: Headers;
  /** Client IP: compared in memory against data-center ranges, never kept. */
  ip: string;
  /** Computes the visitor hash lazily: machine traffic never pays for the HMAC. */
  visitorHash: () => string;
  artistId: string;
  /** `""` for an artist hub. */
  smartLinkId: string;
  /** Default `visit` (a landing page); `service_click` for `…/go/{service}`. */
  kind?: TrafficKind;
  /** The service of a `service_click` (part of its dedupe key). */
  service?: string;
  /** Injected clock's now. */
  now: Date;
}

export interface ScreenVerdict {
  counted: boolean;
  reason: TrafficReason;
  /** Present when computed (every request that reached the velocity check). */
  visitorHash: string | null;
}

export interface TrafficGate {
  /** Classifies one landing request or service click and counts it (`traffic_counters`). Never throws. */
  screen(input: ScreenVisitInput): ScreenVerdict;
}

/**
 * Sliding-window counter (the weighted two-bucket approximation): the previous fixed
 * window's count is weighted by how much of it still overlaps the sliding window. O(1)
 * memory per key, within a few percent of an exact log of timestamps.
 */
interface Window {
  start: number;
  current: number;
  previous: number;
}

function hit(w: Window, now: number, size: number): number {
  const elapsed = now - w.start;
  if (elapsed >= 2 * size) {
    w.start = now - (elapsed % size);
    w.previous = 0;
    w.current = 0;
  } else if (elapsed >= size) {
    w.start += size;
    w.previous = w.current;
    w.current = 0;
  }
  w.current += 1;
  const overlap = 1 - (now - w.start) / size;
  return w.current + w.previous * overlap;
}

export function createTrafficGate(options: { config: TrafficGateConfig; datacenter: DatacenterMatcher; events: EventRecorder }): TrafficGate {
  const { config, datacenter, events } = options;
  const ttl = Math.max(config.dedupeWindowMs, config.visitorWindowMs * 2, 1);
  // visitor hash + landing → ms of the last counted view.
  const seen = new LRUCache<string, number>({ max: config.maxEntries, ttl, ttlAutopurge: false });
  const visitors = new LRUCache<string, Window>({ max: config.maxEntries, ttl: config.visitorWindowMs * 2 });
  const links = new LRUCache<string, Window>({ max: 100_000, ttl: config.linkWindowMs * 2 });

  return {
    screen(input) {
      const nowMs = input.now.getTime();
      const day = input.now.toISOString().slice(0, 10);
      const kind: TrafficKind = input.kind ?? "visit";
      const verdict = (reason: TrafficReason, visitorHash: string | null = null): ScreenVerdict => {
        events.count({ day, artistId: input.artistId, smartLinkId: input.smartLinkId, kind, reason });
        return { counted: reason === "counted", reason, visitorHash };
      };
      const machine = classifyVisit({ method: input.method, headers: input.headers });
      if (machine.reason) return verdict(machine.reason);
      if (input.ip && datacenter.match(input.ip)) return verdict("datacenter_ip");

      const hash = input.visitorHash();
      let vw = visitors.get(hash);
      if (!vw) visitors.set(hash, (vw = { start: nowMs, current: 0, previous: 0 }));
      if (hit(vw, nowMs, config.visitorWindowMs) > config.visitorLimit) return verdict("velocity_visitor", hash);

      const landing = kind === "visit" ? `${input.artistId}/${input.smartLinkId}` : `${input.artistId}/${input.smartLinkId}|${kind}`;
      const key = kind === "visit" ? `${hash}|${landing}` : `${hash}|${landing}|${input.service ?? ""}`;
      if (config.dedupeWindowMs > 0) {
        const last = seen.get(key);
        if (last !== undefined && nowMs - last < config.dedupeWindowMs && nowMs >= last) return verdict("duplicate", hash);
      }

      let lw = links.get(landing);
      if (!lw) links.set(landing, (lw = { start: nowMs, current: 0, previous: 0 }));
      if (hit(lw, nowMs, config.linkWindowMs) > config.linkLimit) return verdict("velocity_link", hash);

      if (config.dedupeWindowMs > 0) seen.set(key, nowMs);
      return verdict("counted", hash);
    },
  };
}
