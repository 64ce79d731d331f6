/**
 * Formatting shared by the public pages: release dates (English, UTC), service display
 * names, release-type labels. Dates are formatted by hand rather than with `Intl` so the
 * output never depends on the ICU data the runtime ships with.
 */

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Streaming services a smart link can point to, with their display names (one list, owned by play). */
export {
  STREAMING_SERVICES as SERVICE_NAMES,
  isStreamingService as isServiceKey,
  type StreamingService as ServiceKey,
} from "../../modules/play/validate-service-url";

const RELEASE_TYPE_LABELS: Record<string, string> = {
  album: "Album",
  single: "Single",
  compilation: "Compilation",
};

/** `album` → "Album"; unknown types → "Release". */
export function releaseTypeLabel(releaseType: string): string {
  return RELEASE_TYPE_LABELS[releaseType] ?? "Release";
}

/** UTC calendar day of `now` as `YYYY-MM-DD`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Formats a `YYYY-MM-DD` release date in English: "5 December 2026" (precision `day` or
 * unknown), "December 2026" (`month`), "2026" (`year`). Returns `null` for a malformed date.
 */
export function formatReleaseDate(date: string | null | undefined, precision?: string | null): string | null {
  if (!date) return null;
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const year = m[1]!;
  const month = MONTHS[Number(m[2]) - 1];
  const day = Number(m[3]);
  if (!month || day < 1 || day > 31) return null;
  if (precision === "year") return year;
  if (precision === "month") return `${month} ${year}`;
  return `${day} ${month} ${year}`;
}

/** True when the release date is a valid date strictly after today (UTC). */
export function isFutureRelease(date: string | null | undefined, now: Date): boolean {
  return !!date && ISO_DATE.test(date) && date > utcDay(now);
}

/** Whole UTC days from `now`'s day to `date` (0 = today). */
export function daysUntil(date: string, now: Date): number {
  const target = Date.parse(`${date}T00:00:00Z`);
  const today = Date.parse(`${utcDay(now)}T00:00:00Z`);
  return Math.round((target - today) / 86_400_000);
}

/** "Alice, Bob & Carol" */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} & ${names[names.length - 1]}`;
}
