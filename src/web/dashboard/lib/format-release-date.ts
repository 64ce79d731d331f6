/**
 * Formats a Spotify release date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a calendar day
 * with no time zone) for the reader's locale, without shifting it across midnight.
 */
export function formatReleaseDate(value: string | null | undefined): string {
  if (!value) return "—";
  const [y, m, d] = value.split("-").map(Number);
  if (!y) return value;
  const date = new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1));
  const options: Intl.DateTimeFormatOptions = m ? (d ? { dateStyle: "medium", timeZone: "UTC" } : { year: "numeric", month: "long", timeZone: "UTC" }) : { year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(undefined, options).format(date);
}
