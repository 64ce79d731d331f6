/**
 * Formats an ISO 8601 instant for the reader's locale and time zone (`Intl`).
 * `style: "date"` → e.g. "29 Nov 2026"; `"datetime"` adds the local time. Empty → "—".
 */
export function formatDate(iso: string | null | undefined, style: "date" | "datetime" = "date"): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return style === "date" ? DATE.format(date) : DATETIME.format(date);
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const DATETIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
