import type { Ctx } from "../../context";
import { exportAnalyticsCsv } from "../attribution/index";
import type { AnalyticsQuery } from "./get-analytics-report";
import { defaultAnalyticsRange } from "../attribution/index";
import { requireAnalyticsScope, type AnalyticsTarget } from "./require-analytics-scope";

/**
 * The report as CSV (daily series, or one breakdown), for a visible artist or smart link.
 * @throws AppError as `getAnalyticsReport`; BAD_REQUEST `breakdown` with more than one dimension.
 */
export async function exportAnalyticsReport({ ctx, input }: { ctx: Ctx; input: { target: AnalyticsTarget } & AnalyticsQuery }): Promise<{ filename: string; csv: string }> {
  const { artist, linkId } = await requireAnalyticsScope({ ctx, input: { target: input.target, minRole: "viewer", keyScope: "read" } });
  return exportAnalyticsCsv({
    ctx,
    input: { artistId: artist.id, smartLinkId: linkId ?? input.smartLinkId, hub: linkId ? false : input.hub, ...withDefaults(ctx, input), breakdowns: input.breakdowns },
  });
}

/** Missing ends default to the 28 UTC days ending today (`defaultAnalyticsRange`). */
function withDefaults(ctx: Ctx, input: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const fallback = defaultAnalyticsRange(ctx.clock.now());
  return { from: input.from ?? fallback.from, to: input.to ?? fallback.to };
}
