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
 * Azure's service tags file has a new URL every week behind a download page, so it is not
 * fetched automatically (documented in the README).
 *
 * All sources must answer, or nothing is written (the previous file stays). Writes through a
 * temporary file and a rename, so a reader never sees half a list.
 */
import { renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { AppError } from "../../lib/errors";
import type { DatacenterRange } from "./create-datacenter-matcher";

export type RangeFormat = "aws" | "gcp" | "oracle" | "geofeed";

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
];

/** The shipped file's shape (`data/datacenter-ranges.json`). */
export interface DatacenterRangesFile {
  /** ISO time the file was built. */
  generatedAt: string;
  note?: string;
  sources: Array<{ provider: string; url: string; fetchedAt: string; published: string | null; count: number }>;
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
      const key = `${source.provider} ${cidr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ranges.push({ cidr, provider: source.provider });
      count += 1;
    }
    sources.push({ provider: source.provider, url: source.url, fetchedAt: input.now.toISOString(), published: parsed.published, count });
  }
  const body: DatacenterRangesFile = { generatedAt: input.now.toISOString(), sources, ranges };
  const tmp = `${input.file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 1)}\n`);
  renameSync(tmp, input.file);
  return { file: input.file, total: ranges.length, sources };
}
