import { stringify } from "csv-stringify/sync";
import type { Ctx } from "../../context";
import { badRequest } from "../../lib/errors";
import { readAnalytics, type AnalyticsMetrics, type ReadAnalyticsInput } from "./read-analytics";

const COLUMNS: Array<[keyof AnalyticsMetrics, string]> = [
  ["visits", "visits"],
  ["uniqueVisitors", "unique_visitors"],
  ["serviceClicks", "service_clicks"],
  ["presaves", "presaves"],
  ["authorizations", "authorizations"],
  ["saves", "saves"],
  ["follows", "follows"],
  ["streams", "streams"],
  ["unsaves", "unsaves"],
  ["unfollows", "unfollows"],
];

/** `|` (and its full-width form) is not in csv-stringify's formula list: prefixed here, before it. */
const neutralizeDde = (value: string): string => (value.startsWith("|") || value.startsWith("\uFF5C") ? `'${value}` : value);

/**
 * The report as CSV (RFC 4180, `\r\n`, header row, UTF-8): the daily series, or with one
 * `breakdown` dimension, one row per value of that dimension. Cells that a spreadsheet would
 * run as a formula or a DDE call (starting with `=`, `+`, `-`, `@`, tab, CR, their
 * full-width forms — csv-stringify's `escape_formulas` — or `|`, which some spreadsheets
 * read as a DDE `app|topic!item` — a UTM value or referrer is attacker-controlled) are
 * prefixed with `'`; a cell holding a line break is always quoted, so a bare CR can never
 * start a new (unescaped) row. See https://owasp.org/www-community/attacks/CSV_Injection.
 *
 * @throws AppError BAD_REQUEST as `readAnalytics`, or `breakdown` naming more than one dimension.
 */
export async function exportAnalyticsCsv({ ctx, input }: { ctx: Ctx; input: ReadAnalyticsInput }): Promise<{ filename: string; csv: string }> {
  const dimensions = [...new Set(input.breakdowns ?? [])];
  if (dimensions.length > 1) throw badRequest("breakdown", "a CSV export takes at most one dimension");
  const report = await readAnalytics({ ctx, input });
  const metrics = (m: AnalyticsMetrics) => COLUMNS.map(([key]) => m[key]);
  const dimension = dimensions[0] as keyof typeof report.breakdowns | undefined;
  const header = [dimension ?? "day", ...COLUMNS.map(([, name]) => name)];
  const rows = dimension ? (report.breakdowns[dimension] ?? []).map((r) => [r.value, ...metrics(r)]) : report.series.map((r) => [r.day, ...metrics(r)]);
  const csv = stringify([header, ...rows], { escape_formulas: true, cast: { string: neutralizeDde }, quoted_match: /[\r\n]/, record_delimiter: "windows" });
  const subject = report.smartLinkId ?? (report.scope === "hub" ? `${report.artistId}-hub` : report.artistId);
  return { filename: `backbeat-${subject}-${dimension ?? "daily"}-${report.from}-${report.to}.csv`, csv };
}
