import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AnalyticsMetrics, AnalyticsReport } from "../lib/analytics-types";
import { linkFixture, signedInRoutes } from "../testing/fixtures";
import { mockApi } from "../testing/mock-api";
import { renderApp } from "../testing/render-app";

// uPlot draws on a canvas, which the test DOM does not have: record what it is given.
const charts: Array<{ data: number[][]; labels: string[] }> = [];
vi.mock("uplot", () => {
  class FakePlot {
    static tzDate = (d: Date) => d;
    constructor(opts: { series: Array<{ label?: string }> }, data: number[][]) {
      charts.push({ data, labels: opts.series.slice(1).map((s) => s.label ?? "") });
    }
    destroy() {}
  }
  return { default: FakePlot };
});

const zero: AnalyticsMetrics = { visits: 0, uniqueVisitors: 0, serviceClicks: 0, presaves: 0, authorizations: 0, saves: 0, follows: 0, streams: 0, unsaves: 0, unfollows: 0, playbackStarted: 0, authFailures: 0 };
const REPORT: AnalyticsReport = {
  scope: "artist",
  artistId: "art_pit",
  smartLinkId: null,
  from: "2026-11-28",
  to: "2026-11-29",
  days: 2,
  totals: { ...zero, visits: 1200, uniqueVisitors: 900, serviceClicks: 40, authorizations: 120, saves: 100, follows: 90, streams: 450 },
  serviceClicksByService: [{ service: "apple_music", clicks: 40 }],
  funnel: [
    { step: "visits", count: 1200, rateFromPrevious: null, rateFromVisits: null },
    { step: "authorizations", count: 120, rateFromPrevious: 0.1, rateFromVisits: 0.1 },
    { step: "saves", count: 100, rateFromPrevious: 0.8333, rateFromVisits: 0.0833 },
    { step: "follows", count: 90, rateFromPrevious: 0.9, rateFromVisits: 0.075 },
    { step: "streams", count: 450, rateFromPrevious: 5, rateFromVisits: 0.375 },
  ],
  retention: { saves: { tracked: 100, kept: 92, rate: 0.92 }, follows: { tracked: 0, kept: 0, rate: null } },
  series: [
    { day: "2026-11-28", ...zero, visits: 500, saves: 40, streams: 200 },
    { day: "2026-11-29", ...zero, visits: 700, saves: 60, streams: 250 },
  ],
  breakdowns: { country: [{ value: "PT", ...zero, visits: 1000, saves: 90 }, { value: "", ...zero, visits: 200, saves: 10 }], utm_campaign: [{ value: "launch", ...zero, visits: 800 }] },
  exclusions: { flagged: { events: 7, byReason: [{ reason: "looped_track", events: 7 }] }, traffic: { rawRequests: 2000, counted: 1200, byReason: [{ reason: "bot", requests: 700 }, { reason: "head", requests: 100 }] } },
};

const ANALYTICS = "GET /api/v1/artists/art_pit/analytics";
const LINKS = "GET /api/v1/artists/art_pit/smart-links";

beforeEach(() => {
  charts.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("analytics page", () => {
  it("shows totals, the funnel, a chart of the daily series, breakdowns and traffic quality", async () => {
    const api = mockApi({ ...signedInRoutes(), [ANALYTICS]: { body: REPORT }, [LINKS]: { body: { data: [linkFixture(1)], nextCursor: null } } });
    renderApp("/app/artists/art_pit/analytics");
    const totals = await screen.findByRole("list", { name: "Totals" });
    expect(within(totals).getByText(new Intl.NumberFormat().format(1200))).toBeTruthy();
    // Rollups are updated by a job every minute (register-jobs.ts): the page says so.
    expect(screen.getByTestId("freshness").textContent).toContain("Figures update about once a minute");
    const funnel = screen.getByRole("table", { name: "Funnel" });
    expect(within(funnel).getByRole("row", { name: /Saved/ }).textContent).toContain(new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 }).format(0.8333));
    await waitFor(() => expect(charts).toHaveLength(1));
    expect(charts[0]!.labels).toEqual(["Visits", "Saves", "Streams"]);
    expect(charts[0]!.data.slice(1)).toEqual([[500, 700], [40, 60], [200, 250]]);
    const byCountry = screen.getByRole("table", { name: "Breakdown by Country" });
    expect(within(byCountry).getByRole("rowheader", { name: "(none)" })).toBeTruthy();
    expect(screen.getByText(/2,000|2\.000|2 000/).textContent).toContain("counted as human visits");
    // Each reason is named in plain words and explained, with its API code beside it.
    const notCounted = within(screen.getByRole("list", { name: "Requests not counted" })).getAllByRole("listitem").map((li) => li.textContent);
    expect(notCounted[0]).toMatch(/^Bots and crawlers \(bot\): 700 — .*no browser/);
    expect(notCounted[1]).toMatch(/^HEAD requests \(head\): 100 — /);
    const flagged = within(screen.getByRole("list", { name: "Flagged events by reason" })).getByRole("listitem").textContent;
    expect(flagged).toMatch(/^Looped track \(looped_track\): 7 — .*one track/);
    const first = api.callsTo(ANALYTICS)[0]!;
    expect(first.search.get("breakdown")).toBe("country");
    expect((Date.parse(first.search.get("to")!) - Date.parse(first.search.get("from")!)) / 86_400_000).toBe(27);

    // Another dimension and a preset range ask the API again.
    await userEvent.selectOptions(screen.getByRole("combobox", { name: /By/ }), "utm_campaign");
    await waitFor(() => expect(api.callsTo(ANALYTICS).at(-1)!.search.get("breakdown")).toBe("utm_campaign"));
    await userEvent.click(screen.getByRole("button", { name: "Last 90 days" }));
    await waitFor(() => {
      const last = api.callsTo(ANALYTICS).at(-1)!;
      expect((Date.parse(last.search.get("to")!) - Date.parse(last.search.get("from")!)) / 86_400_000).toBe(89);
    });
  });

  it("refuses a range over 366 days without asking the API", async () => {
    const api = mockApi({ ...signedInRoutes(), [ANALYTICS]: { body: REPORT }, [LINKS]: { body: { data: [], nextCursor: null } } });
    renderApp("/app/artists/art_pit/analytics");
    await screen.findByRole("list", { name: "Totals" });
    const calls = api.callsTo(ANALYTICS).length;
    const from = screen.getByLabelText("From");
    await userEvent.clear(from);
    await userEvent.type(from, "2020-01-01");
    expect((await screen.findByRole("alert")).textContent).toContain("at most 366 days");
    expect(screen.getByRole("button", { name: "Download CSV" })).toHaveProperty("disabled", true);
    expect(api.callsTo(ANALYTICS)).toHaveLength(calls);
  });

  it("downloads the CSV the API exports, with its file name", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      [ANALYTICS]: { body: REPORT },
      [LINKS]: { body: { data: [], nextCursor: null } },
      "GET /api/v1/artists/art_pit/analytics.csv": { body: "day,visits\r\n2026-11-29,700\r\n", headers: { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="backbeat-art_pit-daily.csv"' } },
    });
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return "blob:test";
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    renderApp("/app/artists/art_pit/analytics");
    await screen.findByRole("list", { name: "Totals" });
    await userEvent.click(screen.getByRole("button", { name: "Download CSV" }));
    await waitFor(() => expect(clicked).toEqual(["backbeat-art_pit-daily.csv"]));
    expect(await created[0]!.text()).toBe("day,visits\r\n2026-11-29,700\r\n");
    expect(api.callsTo("GET /api/v1/artists/art_pit/analytics.csv")[0]!.search.get("breakdown")).toBe("country");
  });

  it("shows one smart link's analytics and an API error with its message", async () => {
    const api = mockApi({
      ...signedInRoutes(),
      "GET /api/v1/smart-links/sml_1/analytics": { status: 400, body: { error: { code: "BAD_REQUEST", message: "to: the range is 400 days; at most 366 days are allowed", requestId: "req_1", details: [{ field: "to", message: "x" }] } } },
      [LINKS]: { body: { data: [linkFixture(1)], nextCursor: null } },
    });
    renderApp("/app/artists/art_pit/links/sml_1/analytics");
    expect(await screen.findByRole("heading", { name: "Analytics: Song 1" })).toBeTruthy();
    expect((await screen.findByText(/at most 366 days are allowed/)).textContent).toContain("366");
    expect(api.callsTo(ANALYTICS)).toHaveLength(0);
  });
});
