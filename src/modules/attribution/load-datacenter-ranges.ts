/**
 * Reads the data-center list (`data/datacenter-ranges.json` by default, config
 * `DATACENTER_RANGES_FILE`). A missing or unreadable file yields an empty list and a warning
 * from the caller: traffic is then simply not screened by address.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DatacenterRangesFile } from "./refresh-datacenter-ranges";

/** The list shipped with Backbeat. */
export const DEFAULT_DATACENTER_RANGES_FILE = fileURLToPath(new URL("../../../data/datacenter-ranges.json", import.meta.url));

/** Returns the parsed file, or `{ error }` when it cannot be read or has no `ranges` array. */
export function loadDatacenterRanges(file: string): DatacenterRangesFile | { error: string } {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as DatacenterRangesFile;
    if (!Array.isArray(data.ranges)) return { error: `${file}: no "ranges" array` };
    return data;
  } catch (err) {
    return { error: `${file}: ${(err as Error).message}` };
  }
}
