import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation } from "wouter";
import { AnalyticsReportView } from "../components/analytics-report-view";
import { DateRangePicker, lastDays, rangeProblem, type DateRange } from "../components/date-range-picker";
import { ErrorMessage } from "../components/error-message";
import { Loading } from "../components/loading";
import { UnknownArtist } from "../components/unknown-artist";
import type { AnalyticsReport, BreakdownDimension } from "../lib/analytics-types";
import { downloadBlob } from "../lib/download-blob";
import { requestApi } from "../lib/request-api";
import type { Me, Page, SmartLink } from "../lib/types";
import { usePageTitle } from "../lib/use-page-title";

const HUB = "hub";

/**
 * Analytics of an artist (everything, or only its hub) or of one smart link
 * (`/artists/:artistId/analytics`, `/artists/:artistId/links/:linkId/analytics`):
 * `GET /api/v1/…/analytics` with a date range and one breakdown, and its CSV export.
 */
export function AnalyticsPage({ me, artistId, linkId, hub = false }: { me: Me; artistId: string; linkId?: string; hub?: boolean }) {
  const known = me.artists.find((a) => a.id === artistId);
  usePageTitle(known ? `${known.name} — analytics` : "Analytics");
  const [, navigate] = useLocation();
  const [range, setRange] = useState<DateRange>(() => lastDays(28));
  const [dimension, setDimension] = useState<BreakdownDimension>("country");
  const problem = rangeProblem(range);
  const base = linkId ? `/api/v1/smart-links/${encodeURIComponent(linkId)}/analytics` : `/api/v1/artists/${encodeURIComponent(artistId)}/analytics`;
  const query = new URLSearchParams({ from: range.from, to: range.to, breakdown: dimension, ...(hub && !linkId ? { hub: "true" } : {}) });
  const report = useQuery({
    queryKey: ["analytics", artistId, linkId ?? (hub ? HUB : "all"), range.from, range.to, dimension],
    queryFn: async () => (await requestApi<AnalyticsReport>(`${base}?${query}`)).data,
    enabled: Boolean(known) && !problem,
    placeholderData: keepPreviousData,
  });
  const links = useQuery({
    queryKey: ["smart-links-for-analytics", artistId],
    queryFn: async () => (await requestApi<Page<SmartLink>>(`/api/v1/artists/${encodeURIComponent(artistId)}/smart-links?limit=100`)).data.data,
    enabled: Boolean(known),
  });
  const csv = useMutation({
    mutationFn: async () => {
      const res = await requestApi<string>(`${base}.csv?${query}`, { as: "text" });
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "backbeat-analytics.csv";
      downloadBlob(new Blob([res.data], { type: "text/csv" }), name);
    },
  });

  if (!known) return <UnknownArtist />;
  const scopeValue = linkId ?? (hub ? HUB : "");
  const linkTitle = linkId ? links.data?.find((l) => l.id === linkId)?.title : undefined;
  return (
    <section className="page" aria-labelledby="analytics-title">
      <p className="eyebrow">{known.name}</p>
      <h1 id="analytics-title">{linkId ? `Analytics: ${linkTitle ?? "smart link"}` : hub ? "Analytics: artist hub" : "Analytics"}</h1>
      {/* True to the schedules in src/jobs/register-jobs.ts: rollups every minute, fan sync hourly. */}
      <p className="hint" data-testid="freshness">
        Figures update about once a minute: a background job adds new visits, clicks, saves and follows to the reports every minute. Streams arrive with the hourly listening sync.
      </p>
      <div className="toolbar">
        <label className="inline-field">
          Show{" "}
          <select
            value={scopeValue}
            onChange={(e) => {
              const v = e.target.value;
              navigate(v === "" ? `/artists/${artistId}/analytics` : v === HUB ? `/artists/${artistId}/analytics/hub` : `/artists/${artistId}/links/${v}/analytics`);
            }}
          >
            <option value="">Everything</option>
            <option value={HUB}>Artist hub only</option>
            {(links.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={() => csv.mutate()} disabled={Boolean(problem) || csv.isPending}>
          {csv.isPending ? "Preparing CSV…" : "Download CSV"}
        </button>
      </div>
      <DateRangePicker value={range} onChange={setRange} />
      {csv.isError ? <ErrorMessage error={csv.error} title="Could not export the CSV" /> : null}
      {report.isPending && !problem ? <Loading label="Loading analytics…" /> : null}
      {report.isError ? <ErrorMessage error={report.error} onRetry={() => void report.refetch()} title="Could not load analytics" /> : null}
      {report.data ? <AnalyticsReportView report={report.data} dimension={dimension} onDimension={setDimension} /> : null}
    </section>
  );
}
