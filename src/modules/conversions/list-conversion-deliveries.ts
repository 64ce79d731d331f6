import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents } from "../../db/schema/attribution";
import { conversionOutbox, type ConversionPlatform, type OutboxStatus } from "../../db/schema/conversion-delivery";
import { badRequest } from "../../lib/errors";
import { decodeCursor, toPage, type Page } from "../../lib/page-cursor";
import { requireArtistRole } from "../accounts/index";
import { CONVERSION_EVENT_TYPES } from "./resolve-event-mapping";

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ["pending", "delivered", "rejected", "dropped"];

/** One outbox row of the delivery log: a conversion on its way to (or done with) one destination. */
export interface ConversionDeliveryView {
  id: string;
  /** The engagement event id = the platform's event id (dedupe key). */
  eventId: string;
  eventType: string;
  /** When the fan did it (UTC). */
  occurredAt: Date;
  destinationId: string;
  platform: ConversionPlatform;
  status: OutboxStatus;
  /** Sends so far (a `dropped` row may have none). */
  attempts: number;
  /** Platform reason (`rejected`), ours (`dropped`), or the last error while retrying. */
  reason: string | null;
  deduplicated: boolean;
  /** Names of the match keys sent (never values). */
  matchKeys: string[];
  /** When a `pending` row is tried next. */
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns the log shows (selected by name: the outbox gains columns on other branches). */
export const DELIVERY_COLUMNS = {
  id: conversionOutbox.id,
  eventId: conversionOutbox.eventId,
  eventType: engagementEvents.type,
  occurredAt: engagementEvents.occurredAt,
  destinationId: conversionOutbox.destinationId,
  platform: conversionOutbox.platform,
  status: conversionOutbox.status,
  attempts: conversionOutbox.attempts,
  reason: conversionOutbox.reason,
  deduplicated: conversionOutbox.deduplicated,
  matchKeys: conversionOutbox.matchKeys,
  nextAttemptAt: conversionOutbox.nextAttemptAt,
  deliveredAt: conversionOutbox.deliveredAt,
  createdAt: conversionOutbox.createdAt,
  updatedAt: conversionOutbox.updatedAt,
};

export interface ListConversionDeliveriesInput {
  artistId: string;
  limit: number;
  cursor?: string | undefined;
  destinationId?: string | undefined;
  /** pending | delivered | rejected | dropped */
  status?: string | undefined;
  /** SERVICE_CLICK | PRESAVE | SAVE_TRACK | FOLLOW_ARTIST | STREAM */
  eventType?: string | undefined;
}

/**
 * The artist's delivery log, newest first (queued time, then id), one row per (event,
 * destination), filtered by destination, status and event type. Viewers; keys with `read`.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST (`status`, `eventType`, `destinationId`, `cursor`).
 */
export async function listConversionDeliveries({ ctx, input }: { ctx: Ctx; input: ListConversionDeliveriesInput }): Promise<Page<ConversionDeliveryView>> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  if (input.status !== undefined && !(OUTBOX_STATUSES as readonly string[]).includes(input.status)) throw badRequest("status", `must be one of ${OUTBOX_STATUSES.join(", ")}`);
  if (input.eventType !== undefined && !(CONVERSION_EVENT_TYPES as readonly string[]).includes(input.eventType)) throw badRequest("eventType", `must be one of ${CONVERSION_EVENT_TYPES.join(", ")}`);
  if (input.destinationId !== undefined && !/^[A-Za-z0-9_]{1,64}$/.test(input.destinationId)) throw badRequest("destinationId", "is not a destination id");
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const where: (SQL | undefined)[] = [eq(conversionOutbox.artistId, artist.id)];
  if (input.destinationId) where.push(eq(conversionOutbox.destinationId, input.destinationId));
  if (input.status) where.push(eq(conversionOutbox.status, input.status as OutboxStatus));
  if (input.eventType) where.push(eq(engagementEvents.type, input.eventType));
  if (after) where.push(or(lt(conversionOutbox.createdAt, after.createdAt), and(eq(conversionOutbox.createdAt, after.createdAt), lt(conversionOutbox.id, after.id))));
  const rows = await ctx.db
    .select(DELIVERY_COLUMNS)
    .from(conversionOutbox)
    .innerJoin(engagementEvents, eq(engagementEvents.id, conversionOutbox.eventId))
    .where(and(...where))
    .orderBy(desc(conversionOutbox.createdAt), desc(conversionOutbox.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => ({ createdAt: r.createdAt, id: r.id }), (r): ConversionDeliveryView => ({ ...r, matchKeys: r.matchKeys ?? [] }));
}
