import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { badRequest } from "../lib/errors";
import {
  exportAnalyticsReport,
  getAnalyticsReport,
  getArtistSpend,
  getAttributionSettings,
  getValuationReport,
  putArtistSpend,
  putAttributionSettings,
  type AnalyticsQuery as AnalyticsQueryInput,
} from "../modules/accounts/index";
import type { ApiEnv } from "./api-env";
import { AnalyticsQuery, AnalyticsReport, ArtistAnalyticsQuery, AttributionSettings, AttributionSettingsInput, SpendInput, SpendList, ValuationQuery, ValuationReport } from "./analytics-schemas";
import { defineApiRoute, sendJson } from "./define-api-route";

const TAG = "Analytics";

/** Query string → report query (the verbs validate dates, range and dimensions). */
function readAnalyticsQuery(c: Context<ApiEnv>): AnalyticsQueryInput {
  const hub = c.req.query("hub");
  if (hub !== undefined && hub !== "true" && hub !== "false") throw badRequest("hub", "must be true or false");
  const breakdown = c.req.query("breakdown");
  return {
    from: c.req.query("from") || undefined,
    to: c.req.query("to") || undefined,
    smartLinkId: c.req.query("smartLinkId") || undefined,
    hub: hub === "true",
    breakdowns: breakdown ? breakdown.split(",").map((d) => d.trim()).filter(Boolean) : [],
  };
}

function csvResponse(c: Context<ApiEnv>, result: { filename: string; csv: string }): Response {
  return c.body(result.csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${result.filename}"` });
}

const csvDescription = "CSV (RFC 4180, header row): the daily series, or one row per value with a single `breakdown` dimension. Cells starting with = + - @ | tab or CR are prefixed with ' so spreadsheets never run them.";

/**
 * `/artists/{artistId}/analytics`, `/smart-links/{linkId}/analytics` (+ `.csv`),
 * `/artists/{artistId}/valuation`, `/artists/{artistId}/spend`,
 * `/artists/{artistId}/attribution-settings`. Reads: viewers, keys with `read`; writes:
 * editors+, keys with `artists.write`. Another tenant's artist or link answers 404.
 */
export function analyticsRoutes(api: OpenAPIHono<ApiEnv>): void {
  defineApiRoute(
    api,
    {
      method: "get",
      path: "/artists/{artistId}/analytics",
      tag: TAG,
      summary: "Analytics of an artist, its hub or one of its links",
      description: "Visits, unique visitors, service clicks, pre-saves, authorizations, saves, follows, streams, the funnel, save retention, a daily series and breakdowns, from daily rollups (up to about a minute behind). Flagged events are excluded and reported under `exclusions`. Ranges up to 366 days.",
      query: ArtistAnalyticsQuery,
      ok: { status: 200, description: "The report", schema: AnalyticsReport },
    },
    async (c) => sendJson(c, 200, await getAnalyticsReport({ ctx: c.get("ctx"), input: { target: { artistId: c.req.param("artistId")! }, ...readAnalyticsQuery(c) } })),
  );
  defineApiRoute(
    api,
    { method: "get", path: "/artists/{artistId}/analytics.csv", tag: TAG, summary: "Analytics of an artist as CSV", description: csvDescription, query: ArtistAnalyticsQuery, ok: { status: 200, description: "CSV attachment", schema: z.string(), csv: true } },
    async (c) => csvResponse(c, await exportAnalyticsReport({ ctx: c.get("ctx"), input: { target: { artistId: c.req.param("artistId")! }, ...readAnalyticsQuery(c) } })),
  );
  defineApiRoute(
    api,
    { method: "get", path: "/smart-links/{linkId}/analytics", tag: TAG, summary: "Analytics of one smart link", query: AnalyticsQuery, ok: { status: 200, description: "The report", schema: AnalyticsReport } },
    async (c) => {
      const { smartLinkId: _ignored, hub: _hub, ...query } = readAnalyticsQuery(c);
      return sendJson(c, 200, await getAnalyticsReport({ ctx: c.get("ctx"), input: { target: { linkId: c.req.param("linkId")! }, ...query } }));
    },
  );
  defineApiRoute(
    api,
    { method: "get", path: "/smart-links/{linkId}/analytics.csv", tag: TAG, summary: "Analytics of one smart link as CSV", description: csvDescription, query: AnalyticsQuery, ok: { status: 200, description: "CSV attachment", schema: z.string(), csv: true } },
    async (c) => {
      const { smartLinkId: _ignored, hub: _hub, ...query } = readAnalyticsQuery(c);
      return csvResponse(c, await exportAnalyticsReport({ ctx: c.get("ctx"), input: { target: { linkId: c.req.param("linkId")! }, ...query } }));
    },
  );
  defineApiRoute(
    api,
    {
      method: "get",
      path: "/artists/{artistId}/valuation",
      tag: TAG,
      summary: "Spend, cost per save / follow / stream / fan and conversion value",
      description: "Per day, smart link and UTM campaign, per campaign, per link and in total, per currency. Amounts in minor units. Campaign-wide spend is split among the campaign's links by their visits that day.",
      query: ValuationQuery,
      ok: { status: 200, description: "The valuation", schema: ValuationReport },
    },
    async (c) =>
      sendJson(c, 200, await getValuationReport({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")!, smartLinkId: c.req.query("smartLinkId") || undefined, from: c.req.query("from") || undefined, to: c.req.query("to") || undefined } })),
  );
  defineApiRoute(api, { method: "get", path: "/artists/{artistId}/spend", tag: TAG, summary: "Spend entries (all sources)", ok: { status: 200, description: "Entries", schema: SpendList } }, async (c) =>
    sendJson(c, 200, await getArtistSpend({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")! } })),
  );
  defineApiRoute(
    api,
    { method: "put", path: "/artists/{artistId}/spend", tag: TAG, summary: "Replace the manually entered spend (editor+)", description: "Entries with another `source` (imported ad spend) are kept.", body: SpendInput, ok: { status: 200, description: "The manual entries now stored", schema: SpendList } },
    async (c) => {
      const body = (await c.req.json()) as { entries?: unknown };
      return sendJson(c, 200, await putArtistSpend({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")!, entries: body.entries } }));
    },
  );
  defineApiRoute(api, { method: "get", path: "/artists/{artistId}/attribution-settings", tag: TAG, summary: "Attribution window and event values", ok: { status: 200, description: "Settings", schema: AttributionSettings } }, async (c) =>
    sendJson(c, 200, await getAttributionSettings({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")! } })),
  );
  defineApiRoute(
    api,
    { method: "put", path: "/artists/{artistId}/attribution-settings", tag: TAG, summary: "Set the attribution window and/or event values (editor+)", description: "A field left out is unchanged. A new window applies to streams derived from now on.", body: AttributionSettingsInput, ok: { status: 200, description: "Settings", schema: AttributionSettings } },
    async (c) => {
      const body = (await c.req.json()) as Record<string, unknown>;
      return sendJson(c, 200, await putAttributionSettings({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")!, body } }));
    },
  );
}
