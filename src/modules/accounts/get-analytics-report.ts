import type { Ctx } from "../../context";
import { readAnalytics, type AnalyticsReport } from "../attribution/index";
import { defaultAnalyticsRange } from "../attribution/index";
import { requireAnalyticsScope, type AnalyticsTarget } from "./require-analytics-scope";

export interface AnalyticsQuery {
  /** Inclusive UTC dates; default: the 28 days ending today. */
  from?: string | undefined;
  to?: string | undefined;
  /** With an artist target: narrow to one of its smart links. */
  smartLinkId?: string | undefined;
  /** With an artist target: only the artist hub. */
  hub?: boolean | undefined;
  breakdowns?: string[] | undefined;
}

/**
 * The analytics report of a visible artist or smart link (viewers may read; keys need `read`).
 * @throws AppError NOT_FOUND (missing or another tenant's), FORBIDDEN, BAD_REQUEST naming
 *   `from`, `to` (over 366 days) or `breakdown`.
 */
export async function getAnalyticsReport({ ctx, input }: { ctx: Ctx; input: { target: AnalyticsTarget } & AnalyticsQuery }): Promise<AnalyticsReport> {
  const { artist, linkId } = await requireAnalyticsScope({ ctx, input: { target: input.target, minRole: "viewer", keyScope: "read" } });
  return readAnalytics({
    ctx,
    input: { artistId: artist.id, smartLinkId: linkId ?? input.smartLinkId, hub: linkId ? false : input.hub, ...withDefaults(ctx, input), breakdowns: input.breakdowns },
  });
}

/** Missing ends default to the 28 UTC days ending today (`defaultAnalyticsRange`). */
function withDefaults(ctx: Ctx, input: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const fallback = defaultAnalyticsRange(ctx.clock.now());
  return { from: input.from ?? fallback.from, to: input.to ?? fallback.to };
}
