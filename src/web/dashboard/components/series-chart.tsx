import { useEffect, useRef } from "react";
import "uplot/dist/uPlot.min.css";
import type { AnalyticsMetrics } from "../lib/analytics-types";
import { formatNumber } from "../lib/format-number";

export interface ChartSeries {
  metric: keyof AnalyticsMetrics;
  label: string;
  /** A CSS colour (canvas stroke; never an inline style attribute). */
  color: string;
}

/**
 * A daily line chart drawn by uPlot (≈ 20 KB gzipped, canvas, no inline style attributes:
 * its few styles are set through the CSSOM, which the dashboard's CSP allows), with the same
 * figures as a table for screen readers and for copying. uPlot is loaded on first render of
 * a chart only.
 */
export function SeriesChart({ days, series, title }: { days: Array<{ day: string } & AnalyticsMetrics>; series: ChartSeries[]; title: string }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = target.current;
    if (!el || days.length === 0) return;
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const x = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
      try {
        chart = new UPlot(
          {
            width: Math.max(320, el.clientWidth || 640),
            height: 240,
            tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
            series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: (_u: unknown, v: number | null) => (v === null ? "–" : formatNumber(v)) }))],
            axes: [{}, { values: (_u: unknown, ticks: number[]) => ticks.map((t) => formatNumber(t)) }],
          },
          [x, ...series.map((s) => days.map((d) => d[s.metric]))],
          el,
        );
      } catch {
        // No canvas (an old browser, a test DOM): the table below still has every figure.
      }
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [days, series]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={target} className="chart-canvas" aria-hidden="true" />
      <details>
        <summary>Show as a table</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                {series.map((s) => (
                  <th scope="col" key={s.metric}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{d.day}</th>
                  {series.map((s) => (
                    <td key={s.metric}>{formatNumber(d[s.metric])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
