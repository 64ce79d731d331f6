/**
 * Fast "is this address in a data-center range?" lookups over the shipped list
 * (`data/datacenter-ranges.json`, see `refresh-datacenter-ranges.ts`). Parsing is done by
 * `ipaddr.js`; the lookup is a binary search over merged, sorted intervals, so a request
 * costs O(log n) whatever the list size. The address is only compared in memory and never
 * kept (P11).
 */
import ipaddr from "ipaddr.js";

export interface DatacenterRange {
  /** CIDR, IPv4 (`3.5.140.0/22`) or IPv6 (`2600:1f14::/35`). */
  cidr: string;
  /** Source key, e.g. `aws`, `gcp`, `oracle`, `digitalocean`. */
  provider: string;
}

export interface DatacenterMatcher {
  /** The provider whose range holds `ip` (IPv4, IPv6 or IPv4-mapped IPv6), or null (also for a malformed address). */
  match(ip: string): string | null;
  /** Number of merged intervals held. */
  readonly size: number;
}

interface Intervals<T> {
  starts: T[];
  ends: T[];
  providers: string[];
}

/** IPv6 as 32 lower-case hex digits: fixed width, so string order is numeric order. */
function hex6(bytes: number[]): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function v4(bytes: number[]): number {
  return ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
}

function build<T>(items: Array<{ start: T; end: T; provider: string }>): Intervals<T> {
  items.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Intervals<T> = { starts: [], ends: [], providers: [] };
  for (const it of items) {
    const last = out.ends.length - 1;
    // Overlapping or nested ranges merge; the first provider (lowest start) names the interval.
    if (last >= 0 && it.start <= out.ends[last]!) {
      if (it.end > out.ends[last]!) out.ends[last] = it.end;
      continue;
    }
    out.starts.push(it.start);
    out.ends.push(it.end);
    out.providers.push(it.provider);
  }
  return out;
}

function find<T>(iv: Intervals<T>, x: T): string | null {
  let lo = 0;
  let hi = iv.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (iv.starts[mid]! <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && x <= iv.ends[hi]! ? iv.providers[hi]! : null;
}

/**
 * Builds a matcher. Malformed CIDRs are skipped (counted in `skipped`), never thrown, so a
 * partly bad list still protects with the rest.
 */
export function createDatacenterMatcher(ranges: readonly DatacenterRange[]): DatacenterMatcher & { skipped: number } {
  const four: Array<{ start: number; end: number; provider: string }> = [];
  const six: Array<{ start: string; end: string; provider: string }> = [];
  let skipped = 0;
  for (const r of ranges) {
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      parsed = ipaddr.parseCIDR(r.cidr);
    } catch {
      skipped += 1;
      continue;
    }
    const [addr, bits] = parsed;
    if (addr.kind() === "ipv4") {
      const base = v4(addr.toByteArray());
      const size = 2 ** (32 - bits);
      const start = Math.floor(base / size) * size;
      four.push({ start, end: start + size - 1, provider: r.provider });
    } else {
      const bytes = addr.toByteArray();
      const lo = bytes.slice();
      const hi = bytes.slice();
      for (let bit = bits; bit < 128; bit++) {
        const i = bit >> 3;
        const mask = 0x80 >> (bit & 7);
        lo[i] = lo[i]! & ~mask;
        hi[i] = hi[i]! | mask;
      }
      six.push({ start: hex6(lo), end: hex6(hi), provider: r.provider });
    }
  }
  const iv4 = build(four);
  const iv6 = build(six);
  return {
    skipped,
    size: iv4.starts.length + iv6.starts.length,
    match(ip) {
      let addr: ipaddr.IPv4 | ipaddr.IPv6;
      try {
        // `process` turns IPv4-mapped IPv6 (`::ffff:1.2.3.4`) into IPv4.
        addr = ipaddr.process(ip.trim());
      } catch {
        return null;
      }
      return addr.kind() === "ipv4" ? find(iv4, v4(addr.toByteArray())) : find(iv6, hex6(addr.toByteArray()));
    },
  };
}
