import type { AnalyticsMetrics, AnalyticsReport, BreakdownDimension } from "../lib/analytics-types";
import { BREAKDOWN_DIMENSIONS } from "../lib/analytics-types";
import { formatNumber } from "../lib/format-number";
import { describeExclusionReason } from "../lib/describe-exclusion-reason";
import { SeriesChart, type ChartSeries } from "./series-chart";

export const DIMENSION_LABELS: Record<BreakdownDimension, string> = {
  country: "Country",
  referrer: "Referrer",
  utm_source: "UTM source",
  utm_medium: "UTM medium",
  utm_campaign: "UTM campaign",
  device: "Device",
  locale: "Locale",
  theme: "Theme",
  in_app_browser: "In-app browser",
  click_id: "Ad click id",
  service: "Service",
};

const TOTALS: Array<[keyof AnalyticsMetrics, string]> = [
  ["visits", "Visits"],
  ["uniqueVisitors", "Unique visitors"],
  ["serviceClicks", "Service clicks"],
  ["presaves", "Pre-saves"],
  ["authorizations", "Authorizations"],
  ["saves", "Saves"],
  ["follows", "Follows"],
  ["streams", "Streams"],
];

const CHART: ChartSeries[] = [
  { metric: "visits", label: "Visits", color: "#4f46e5" },
  { metric: "saves", label: "Saves", color: "#059669" },
  { metric: "streams", label: "Streams", color: "#d97706" },
];

const STEP_LABELS = { visits: "Visits", authorizations: "Authorized", saves: "Saved", follows: "Followed", streams: "Streams" } as const;
const percent = (r: number | null) => (r === null ? "–" : new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 }).format(r));
const valueLabel = (v: string) => (v === "" ? "(none)" : v);

/** Everything a report says: totals, funnel, chart, services, retention, a breakdown, traffic quality. */
export function AnalyticsReportView({ report, dimension, onDimension }: { report: AnalyticsReport; dimension: BreakdownDimension; onDimension: (d: BreakdownDimension) => void }) {
  const rows = report.breakdowns[dimension] ?? [];
  const traffic = report.exclusions.traffic;
  const clicks = report.exclusions.serviceClicks;
  return (
    <>
      <h2>Totals</h2>
      <ul className="stats" aria-label="Totals">
        {TOTALS.map(([metric, label]) => (
          <li key={metric} className="card stat">
            <span className="stat-label">{label}</span> <strong className="stat-value">{formatNumber(report.totals[metric])}</strong>
          </li>
        ))}
      </ul>
      <p className="hint">Unique visitors add up each day's unique visitors: visitor ids change every day (no IP addresses are kept), so a fan returning on three days counts three times.</p>

      <h2>Funnel</h2>
      <div className="table-wrap">
        <table aria-label="Funnel">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Count</th>
              <th scope="col">From previous step</th>
              <th scope="col">From visits</th>
            </tr>
          </thead>
          <tbody>
            {report.funnel.map((s) => (
              <tr key={s.step}>
                <th scope="row">{STEP_LABELS[s.step]}</th>
                <td>{formatNumber(s.count)}</td>
                <td>{percent(s.rateFromPrevious)}</td>
                <td>{percent(s.rateFromVisits)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <SeriesChart days={report.series} series={CHART} title="Visits, saves and streams per day" />

      <div className="grid-2">
        <section aria-labelledby="services-title">
          <h2 id="services-title">Service clicks</h2>
          {report.serviceClicksByService.length === 0 ? (
            <p>No service clicks in this range.</p>
          ) : (
            <ul>
              {report.serviceClicksByService.map((s) => (
                <li key={s.service}>
                  {valueLabel(s.service)}: {formatNumber(s.clicks)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="retention-title">
          <h2 id="retention-title">Retention</h2>
          <p>
            Still saved: {formatNumber(report.retention.saves.kept)} of {formatNumber(report.retention.saves.tracked)} ({percent(report.retention.saves.rate)})
          </p>
          <p>
            Still followed: {formatNumber(report.retention.follows.kept)} of {formatNumber(report.retention.follows.tracked)} ({percent(report.retention.follows.rate)})
          </p>
        </section>
      </div>

      <h2>Breakdown</h2>
      <label className="inline-field">
        By{" "}
        <select value={dimension} onChange={(e) => onDimension(e.target.value as BreakdownDimension)}>
          {BREAKDOWN_DIMENSIONS.map((d) => (
            <option key={d} value={d}>
              {DIMENSION_LABELS[d]}
            </option>
          ))}
        </select>
      </label>
      {rows.length === 0 ? (
        <p>Nothing to break down in this range.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={`Breakdown by ${DIMENSION_LABELS[dimension]}`}>
            <thead>
              <tr>
                <th scope="col">{DIMENSION_LABELS[dimension]}</th>
                {TOTALS.map(([, label]) => (
                  <th scope="col" key={label}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.value}>
                  <th scope="row">{valueLabel(r.value)}</th>
                  {TOTALS.map(([metric]) => (
                    <td key={metric}>{formatNumber(r[metric])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section aria-labelledby="quality-title">
        <h2 id="quality-title">Traffic quality</h2>
        {traffic ? (
          <>
            <p>
              {formatNumber(traffic.rawRequests)} requests, {formatNumber(traffic.counted)} counted as human visits.
            </p>
            {traffic.byReason.length > 0 ? (
              <ul aria-label="Requests not counted">
                {traffic.byReason.map((r) => (
                  <ReasonItem key={r.reason} reason={r.reason} count={r.requests} />
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <p>Request counts are not available on this installation.</p>
        )}
        {clicks && clicks.rawRequests > 0 ? (
          <>
            <p>
              {formatNumber(clicks.rawRequests)} service clicks, {formatNumber(clicks.counted)} counted.
            </p>
            {clicks.byReason.length > 0 ? (
              <ul aria-label="Service clicks not counted">
                {clicks.byReason.map((r) => (
                  <ReasonItem key={r.reason} reason={r.reason} count={r.requests} />
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
        <p>
          {formatNumber(report.exclusions.flagged.events)} {report.exclusions.flagged.events === 1 ? "event is" : "events are"} flagged and left out of every figure above.
        </p>
        {report.exclusions.flagged.byReason.length > 0 ? (
          <ul aria-label="Flagged events by reason">
            {report.exclusions.flagged.byReason.map((r) => (
              <ReasonItem key={r.reason} reason={r.reason} count={r.events} />
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}

/** One exclusion reason: its plain label, the API code, the count and what it means. */
function ReasonItem({ reason, count }: { reason: string; count: number }) {
  const text = describeExclusionReason(reason);
  return (
    <li>
      {text.label === reason ? reason : `${text.label} (${reason})`}: {formatNumber(count)}
      {text.meaning ? <span className="hint"> — {text.meaning}</span> : null}
    </li>
  );
}
