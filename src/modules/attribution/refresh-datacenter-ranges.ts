/**
 * `backbeat traffic refresh-datacenter-ranges`: downloads the cloud providers' own published
 * address lists and rewrites `data/datacenter-ranges.json` (dated, with its sources).
 *
 * Sources (each published by the provider for anyone to consume; the lists are facts about
 * the providers' own networks):
 * - AWS `https://ip-ranges.amazonaws.com/ip-ranges.json`
 *   (https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html): `prefixes[].ip_prefix`
 *   and `ipv6_prefixes[].ipv6_prefix` where `service = "EC2"`; date `createDate`.
 * - Google Cloud `https://www.gstatic.com/ipranges/cloud.json`
 *   (https://cloud.google.com/compute/docs/faq#find_ip_range): `prefixes[].ipv4Prefix|ipv6Prefix`;
 *   date `creationTime`.
 * - Oracle Cloud `https://docs.oracle.com/en-us/iaas/tools/public_ip_ranges.json`
 *   (https://docs.oracle.com/en-us/iaas/Content/General/Concepts/addressranges.htm):
 *   `regions[].cidrs[].cidr`; date `last_updated_timestamp`.
 * - DigitalOcean `https://digitalocean.com/geo/google.csv` (geofeed, RFC 8805): first column.
 * - X4BNet lists_vpn `output/datacenter/ipv4.txt` (https://github.com/X4BNet/lists_vpn, MIT
 *   licence; one CIDR a line): an ASN-based list of data-center, hosting and VPN networks
 *   ("not an eyeball network"), no dates of its own. Prefixes inside `EXCLUDED_PREFIXES`
 *   (Japanese consumer ISP space the ASN approach sweeps in) are dropped.
 * Azure's service tags file has a new URL every week behind a download page, so it is not
 * fetched automatically (documented in the README).
 *
 * All sources must answer, or nothing is written (the previous file stays). Writes through a
 * temporary file and a rename, so a reader never sees half a list.
 */
import { renameSync, writeFileSync } from "node:fs";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { AppError } from "../../lib/errors";
import type { DatacenterRange } from "./create-datacenter-matcher";

/** `plain`: one CIDR a line, `#` comments (X4BNet). */
export type RangeFormat = "aws" | "gcp" | "oracle" | "geofeed" | "plain";

export interface RangeSource {
  provider: string;
  url: string;
  format: RangeFormat;
}

export const DATACENTER_SOURCES: readonly RangeSource[] = [
  { provider: "aws", url: "https://ip-ranges.amazonaws.com/ip-ranges.json", format: "aws" },
  { provider: "gcp", url: "https://www.gstatic.com/ipranges/cloud.json", format: "gcp" },
  { provider: "oracle", url: "https://docs.oracle.com/en-us/iaas/tools/public_ip_ranges.json", format: "oracle" },
  { provider: "digitalocean", url: "https://digitalocean.com/geo/google.csv", format: "geofeed" },
  { provider: "x4bnet", url: "https://raw.githubusercontent.com/X4BNet/lists_vpn/main/output/datacenter/ipv4.txt", format: "plain" },
];

/**
 * Address space never treated as a data center, whatever a source says: large blocks of
 * Japanese consumer ISPs (NTT OCN, SoftBank BB and similar) that the ASN-based X4BNet list
 * includes along with those ISPs' hosting arms. A fetched prefix inside one is dropped (a
 * fan at home must not be excluded). Reviewed by hand on 2026-11-29; see data/README.md.
 */
export const EXCLUDED_PREFIXES: readonly string[] = [
  "58.88.0.0/13", "60.32.0.0/12", "61.112.0.0/15", "61.118.0.0/15", "61.126.0.0/15", "61.199.0.0/16", "61.207.0.0/16",
  "61.208.0.0/16", "61.214.0.0/16", "114.144.0.0/12", "114.160.0.0/11", "118.0.0.0/12", "118.16.0.0/13", "121.112.0.0/13",
  "122.1.0.0/16", "122.16.0.0/12", "123.216.0.0/13", "123.224.0.0/14", "124.84.0.0/14", "124.96.0.0/13", "125.170.0.0/16",
  "125.172.0.0/14", "125.200.0.0/13", "153.128.0.0/10", "153.192.0.0/11", "153.224.0.0/12", "153.240.0.0/13",
  "153.248.0.0/14", "153.252.0.0/15", "180.0.0.0/10", "210.145.0.0/16", "210.154.0.0/16", "210.160.0.0/14",
  "210.164.0.0/16", "210.190.0.0/16", "210.225.0.0/16", "210.226.0.0/15", "210.232.0.0/16", "210.248.0.0/16",
  "211.6.0.0/16", "211.11.0.0/16", "211.16.0.0/15", "211.122.0.0/15", "211.129.0.0/16", "218.43.0.0/16", "218.44.0.0/16",
  "218.47.0.0/16", "218.224.0.0/16", "219.160.0.0/13", "220.96.0.0/14", "220.104.0.0/13", "220.220.0.0/15",
  "221.184.0.0/13", "222.144.0.0/13", "223.216.0.0/14",
];

/** True when `cidr` lies inside one of `excluded` (same family). Malformed input → false. */
function isExcluded(cidr: string, excluded: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>): boolean {
  try {
    const [addr, bits] = ipaddr.parseCIDR(cidr);
    return excluded.some(([net, netBits]) => addr.kind() === net.kind() && bits >= netBits && addr.match(net, netBits));
  } catch {
    return false;
  }
}

/** The shipped file's shape (`data/datacenter-ranges.json`). */
export interface DatacenterRangesFile {
  /** ISO time the file was built. */
  generatedAt: string;
  note?: string;
  sources: Array<{ provider: string; url: string; fetchedAt: string; published: string | null; count: number; license?: string; subset?: string }>;
  /** Prefixes a source lists that are deliberately not screened (see `EXCLUDED_PREFIXES`). */
  excludedPrefixes?: string[];
  ranges: DatacenterRange[];
}

const awsSchema = z.object({
  createDate: z.string().optional(),
  prefixes: z.array(z.object({ ip_prefix: z.string(), service: z.string() })),
  ipv6_prefixes: z.array(z.object({ ipv6_prefix: z.string(), service: z.string() })).default([]),
});
const gcpSchema = z.object({
  creationTime: z.string().optional(),
  prefixes: z.array(z.object({ ipv4Prefix: z.string().optional(), ipv6Prefix: z.string().optional() })),
});
const oracleSchema = z.object({
  last_updated_timestamp: z.string().optional(),
  regions: z.array(z.object({ cidrs: z.array(z.object({ cidr: z.string() })) })),
});

function parse(format: RangeFormat, text: string): { cidrs: string[]; published: string | null } {
  if (format === "plain") {
    const cidrs = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((c) => c && !c.startsWith("#") && c.includes("/"));
    return { cidrs, published: null };
  }
  if (format === "geofeed") {
    const cidrs = text
      .split(/\r?\n/)
      .map((line) => line.split(",")[0]!.trim())
      .filter((c) => c && !c.startsWith("#") && c.includes("/"));
    return { cidrs, published: null };
  }
  const json: unknown = JSON.parse(text);
  if (format === "aws") {
    const d = awsSchema.parse(json);
    return {
      cidrs: [...d.prefixes.filter((p) => p.service === "EC2").map((p) => p.ip_prefix), ...d.ipv6_prefixes.filter((p) => p.service === "EC2").map((p) => p.ipv6_prefix)],
      published: d.createDate ?? null,
    };
  }
  if (format === "gcp") {
    const d = gcpSchema.parse(json);
    return { cidrs: d.prefixes.flatMap((p) => [p.ipv4Prefix, p.ipv6Prefix].filter((c): c is string => Boolean(c))), published: d.creationTime ?? null };
  }
  const d = oracleSchema.parse(json);
  return { cidrs: d.regions.flatMap((r) => r.cidrs.map((c) => c.cidr)), published: d.last_updated_timestamp ?? null };
}

/**
 * Fetches every source (30 s timeout each), parses, de-duplicates and writes `file`.
 * Returns the counts per provider. Throws `AppError("UNAVAILABLE")` naming the source when
 * one cannot be fetched or parsed; the file is then left as it was.
 */
export async function refreshDatacenterRanges({
  input,
}: {
  input: { file: string; now: Date; sources?: readonly RangeSource[]; fetch?: typeof fetch };
}): Promise<{ file: string; total: number; sources: DatacenterRangesFile["sources"] }> {
  const doFetch = input.fetch ?? fetch;
  const excluded = EXCLUDED_PREFIXES.map((c) => ipaddr.parseCIDR(c));
  let droppedExcluded = 0;
  const sources: DatacenterRangesFile["sources"] = [];
  const ranges: DatacenterRange[] = [];
  const seen = new Set<string>();
  for (const source of input.sources ?? DATACENTER_SOURCES) {
    let parsed: { cidrs: string[]; published: string | null };
    try {
      const res = await doFetch(source.url, { signal: AbortSignal.timeout(30_000), headers: { accept: "application/json, text/csv, */*" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      parsed = parse(source.format, await res.text());
    } catch (err) {
      throw new AppError("UNAVAILABLE", `datacenter ranges: ${source.provider} (${source.url}) failed: ${(err as Error).message}; the previous list is kept`, { cause: err });
    }
    let count = 0;
    for (const cidr of parsed.cidrs) {
      if (isExcluded(cidr, excluded)) {
        droppedExcluded += 1;
        continue;
      }
      const key = `${source.provider} ${cidr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ranges.push({ cidr, provider: source.provider });
      count += 1;
    }
    sources.push({ provider: source.provider, url: source.url, fetchedAt: input.now.toISOString(), published: parsed.published, count });
  }
  const body: DatacenterRangesFile = {
    generatedAt: input.now.toISOString(),
    ...(droppedExcluded > 0 ? { note: `${droppedExcluded} listed prefixes inside excludedPrefixes were dropped.` } : {}),
    sources,
    excludedPrefixes: [...EXCLUDED_PREFIXES],
    ranges,
  };
  const tmp = `${input.file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 1)}\n`);
  renameSync(tmp, input.file);
  return { file: input.file, total: ranges.length, sources };
}
