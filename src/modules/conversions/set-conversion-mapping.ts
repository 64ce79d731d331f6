import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { conversionEventMappings } from "../../db/schema/conversion-delivery";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/in-transaction";
import { parseInput } from "../../lib/parse-input";
import { recordAudit, requireArtistRole } from "../accounts/index";
import { CONVERSION_EVENT_TYPES, DEFAULT_EVENT_MAPPING, type ConversionEventType } from "./resolve-event-mapping";

const inputSchema = z
  .object({
    artistId: z.string(),
    platform: z.enum(["meta", "google", "reddit"], { error: "must be meta, google or reddit" }),
    eventType: z.enum(CONVERSION_EVENT_TYPES as unknown as [ConversionEventType, ...ConversionEventType[]], { error: `must be one of ${CONVERSION_EVENT_TYPES.join(", ")}` }),
    /** Platform event name (standard or custom); null keeps the default. */
    eventName: z.string().trim().min(1, "must not be empty (send null for the default)").max(100, "must be at most 100 characters").regex(/^[A-Za-z0-9_ ]+$/, "letters, digits, spaces and _ only").nullable().default(null),
    enabled: z.boolean({ error: "must be true or false" }).default(true),
    /** Conversion value in minor units of `currency`. */
    valueMinor: z.number({ error: "must be a whole number of minor units (cents)" }).int("must be a whole number of minor units (cents)").min(0, "must not be negative").max(100_000_000, "must be at most 100000000").nullable().default(null),
    currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217, e.g. EUR").nullable().default(null),
  })
  .strict()
  .refine((v) => (v.valueMinor === null) === (v.currency === null), { path: ["currency"], message: "valueMinor and currency go together" });

export type ConversionMappingInput = z.output<typeof inputSchema>;

/**
 * Sets an artist's override of the event mapping for one (platform, Backbeat event type):
 * name, on/off and value (minor units + currency); a field left out is its default (PUT).
 * Upsert. Editors of the artist; API keys with `conversions.write` (system / CLI too).
 * Audited (`conversion_mapping.update`) in the same transaction; a save that changes
 * nothing writes nothing.
 * @throws AppError BAD_REQUEST (field and why), FORBIDDEN, NOT_FOUND.
 */
export async function setConversionMapping({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ConversionMappingInput> {
  // Access first: an invisible artist answers 404 whatever the rest of the input says.
  const artistId = typeof input === "object" && input !== null && typeof (input as { artistId?: unknown }).artistId === "string" ? (input as { artistId: string }).artistId : "";
  const { artist } = await requireArtistRole({ ctx, input: { artistId, minRole: "editor", keyScope: "conversions.write" } });
  const data = parseInput(inputSchema, input);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const where = and(eq(conversionEventMappings.artistId, artist.id), eq(conversionEventMappings.platform, data.platform), eq(conversionEventMappings.eventType, data.eventType));
    const [before] = await tx.db
      .select({ eventName: conversionEventMappings.eventName, enabled: conversionEventMappings.enabled, valueMinor: conversionEventMappings.valueMinor, currency: conversionEventMappings.currency })
      .from(conversionEventMappings)
      .where(where)
      .for("update");
    const values = { eventName: data.eventName, enabled: data.enabled, valueMinor: data.valueMinor, currency: data.currency };
    if (before && (Object.keys(values) as (keyof typeof values)[]).every((k) => before[k] === values[k])) return data;
    await tx.db
      .insert(conversionEventMappings)
      .values({ id: newId("conversionMapping", now), artistId: artist.id, platform: data.platform, eventType: data.eventType, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: [conversionEventMappings.artistId, conversionEventMappings.platform, conversionEventMappings.eventType], set: { ...values, updatedAt: now } });
    const name = data.eventName ?? DEFAULT_EVENT_MAPPING[data.platform][data.eventType];
    await recordAudit({
      ctx: tx,
      input: {
        organizationId: artist.organizationId,
        artistId: artist.id,
        action: "conversion_mapping.update",
        resourceType: "artist",
        resourceId: artist.id,
        summary: data.enabled ? `${data.platform}: ${data.eventType} is sent as ${name} for ${artist.name}` : `${data.platform}: ${data.eventType} is no longer sent for ${artist.name}`,
        metadata: { platform: data.platform, eventType: data.eventType, ...values },
      },
    });
    return data;
  });
}
