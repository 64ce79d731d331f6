import { and, asc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents } from "../../db/schema/attribution";
import { conversionAttempts, conversionOutbox } from "../../db/schema/conversion-delivery";
import { notFound } from "../../lib/errors";
import { requireArtistRole } from "../accounts/index";
import { DELIVERY_COLUMNS, type ConversionDeliveryView } from "./list-conversion-deliveries";

export interface ConversionAttemptView {
  id: string;
  /** accepted | rejected | retry | dropped */
  status: string;
  /** HTTP status of the platform's answer; null on timeouts, network errors and drops. */
  httpStatus: number | null;
  /** ≤ 500 characters of the platform's answer (or the error), credentials scrubbed. */
  responseExcerpt: string | null;
  /** null for the accepted attempt read off the row (its batch's timing is not kept per row). */
  durationMs: number | null;
  attemptedAt: Date;
}

/**
 * One delivery with every attempt, oldest first (status, HTTP status, the platform's
 * response excerpt, duration, time). Viewers; keys with `read`.
 * @throws AppError NOT_FOUND (artist or delivery missing, or another tenant's), FORBIDDEN.
 */
export async function getConversionDelivery({ ctx, input }: { ctx: Ctx; input: { artistId: string; deliveryId: string } }): Promise<ConversionDeliveryView & { attemptLog: ConversionAttemptView[] }> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  const [row] = await ctx.db
    .select(DELIVERY_COLUMNS)
    .from(conversionOutbox)
    .innerJoin(engagementEvents, eq(engagementEvents.id, conversionOutbox.eventId))
    .where(and(eq(conversionOutbox.id, input.deliveryId), eq(conversionOutbox.artistId, artist.id)));
  if (!row) throw notFound(`conversion delivery ${input.deliveryId}`);
  const attemptLog = await ctx.db
    .select({
      id: conversionAttempts.id,
      status: conversionAttempts.status,
      httpStatus: conversionAttempts.httpStatus,
      responseExcerpt: conversionAttempts.responseExcerpt,
      durationMs: conversionAttempts.durationMs,
      attemptedAt: conversionAttempts.attemptedAt,
    })
    .from(conversionAttempts)
    .where(eq(conversionAttempts.outboxId, row.id))
    .orderBy(asc(conversionAttempts.attemptedAt), asc(conversionAttempts.id));
  // An accepted send writes no attempts row (invariant 10: the batch answer says nothing per
  // row, and skipping the row halves delivery cost); it is the row's own final state, shown
  // here as the last attempt so the log is complete. All three APIs accept with HTTP 200.
  const log: ConversionAttemptView[] = attemptLog;
  if (row.status === "delivered" && row.deliveredAt) {
    log.push({ id: `${row.id}.accepted`, status: "accepted", httpStatus: 200, responseExcerpt: null, durationMs: null, attemptedAt: row.deliveredAt });
  }
  return { ...row, matchKeys: row.matchKeys ?? [], attemptLog: log };
}
