import type { Ctx } from "../../context";
import { readValuation, type ValuationReport } from "../attribution/index";
import { defaultAnalyticsRange } from "../attribution/index";
import { requireAnalyticsScope } from "./require-analytics-scope";

/**
 * Spend, costs per save/follow/stream/fan and conversion value of a visible artist.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST naming `from` / `to`.
 */
export async function getValuationReport({ ctx, input }: { ctx: Ctx; input: { artistId: string; smartLinkId?: string | undefined; from?: string | undefined; to?: string | undefined } }): Promise<ValuationReport> {
  const { artist } = await requireAnalyticsScope({ ctx, input: { target: { artistId: input.artistId }, minRole: "viewer", keyScope: "read" } });
  return readValuation({ ctx, input: { artistId: artist.id, smartLinkId: input.smartLinkId, ...withDefaults(ctx, input) } });
}

/** Missing ends default to the 28 UTC days ending today (`defaultAnalyticsRange`). */
function withDefaults(ctx: Ctx, input: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const fallback = defaultAnalyticsRange(ctx.clock.now());
  return { from: input.from ?? fallback.from, to: input.to ?? fallback.to };
}
