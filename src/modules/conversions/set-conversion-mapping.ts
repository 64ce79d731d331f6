import { z } from "zod";
import type { Ctx } from "../../context";
import { conversionEventMappings } from "../../db/schema/conversion-delivery";
import { newId } from "../../lib/ids";
import { parseInput } from "../../lib/parse-input";
import { requireArtistRole } from "../accounts/index";
import { CONVERSION_EVENT_TYPES } from "./resolve-event-mapping";

const inputSchema = z
  .object({
    artistId: z.string().regex(/^art_[0-9a-z]{26}$/),
    platform: z.enum(["meta", "google", "reddit"]),
    eventType: z.enum(CONVERSION_EVENT_TYPES as unknown as [string, ...string[]]),
    /** Platform event name (standard or custom); null keeps the default. */
    eventName: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_ ]+$/).nullable().default(null),
    enabled: z.boolean().default(true),
    /** Conversion value in minor units of `currency`. */
    valueMinor: z.number().int().min(0).max(100_000_000).nullable().default(null),
    currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217, e.g. EUR").nullable().default(null),
  })
  .strict()
  .refine((v) => (v.valueMinor === null) === (v.currency === null), { path: ["currency"], message: "valueMinor and currency go together" });

/**
 * Sets an artist's override of the event mapping for one (platform, Backbeat event type):
 * name, on/off and value (minor units + currency). Upsert; editors of the artist (or
 * system / CLI). @throws AppError BAD_REQUEST (field and why), FORBIDDEN, NOT_FOUND.
 */
export async function setConversionMapping({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<z.output<typeof inputSchema>> {
  const data = parseInput(inputSchema, input);
  if (ctx.actor.kind === "user" || ctx.actor.kind === "api_key") await requireArtistRole({ ctx, input: { artistId: data.artistId, minRole: "editor", keyScope: null } });
  const now = ctx.clock.now();
  const values = { eventName: data.eventName, enabled: data.enabled, valueMinor: data.valueMinor, currency: data.currency, updatedAt: now };
  await ctx.db
    .insert(conversionEventMappings)
    .values({ id: newId("conversionMapping", now), artistId: data.artistId, platform: data.platform, eventType: data.eventType, ...values })
    .onConflictDoUpdate({ target: [conversionEventMappings.artistId, conversionEventMappings.platform, conversionEventMappings.eventType], set: values });
  return data;
}
