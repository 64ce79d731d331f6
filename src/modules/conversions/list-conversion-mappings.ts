import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { CONVERSION_PLATFORMS, conversionEventMappings, type ConversionPlatform } from "../../db/schema/conversion-delivery";
import { requireArtistRole } from "../accounts/index";
import { CONVERSION_EVENT_TYPES, DEFAULT_EVENT_MAPPING, type ConversionEventType } from "./resolve-event-mapping";

/** One (platform, Backbeat event type) of an artist's mapping, with the default beside the override. */
export interface ConversionMappingView {
  platform: ConversionPlatform;
  eventType: ConversionEventType;
  /** What is sent without an override (`DEFAULT_EVENT_MAPPING`). */
  defaultEventName: string;
  /** The artist's name; null = the default. */
  eventName: string | null;
  /** False = this event type is never sent to this platform. */
  enabled: boolean;
  /** Minor units of `currency`; both null = no value sent. */
  valueMinor: number | null;
  currency: string | null;
  /** True when the artist saved an override (even one equal to the default). */
  overridden: boolean;
  updatedAt: Date | null;
}

/**
 * The artist's event mapping: every platform × conversion event type (3 × 5 rows, in
 * `CONVERSION_PLATFORMS` × `CONVERSION_EVENT_TYPES` order), overrides merged over the
 * defaults. Viewers; API keys with `read`.
 * @throws AppError NOT_FOUND, FORBIDDEN.
 */
export async function listConversionMappings({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<{ data: ConversionMappingView[] }> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  const overrides = await ctx.db
    .select({
      platform: conversionEventMappings.platform,
      eventType: conversionEventMappings.eventType,
      eventName: conversionEventMappings.eventName,
      enabled: conversionEventMappings.enabled,
      valueMinor: conversionEventMappings.valueMinor,
      currency: conversionEventMappings.currency,
      updatedAt: conversionEventMappings.updatedAt,
    })
    .from(conversionEventMappings)
    .where(eq(conversionEventMappings.artistId, artist.id));
  const data = CONVERSION_PLATFORMS.flatMap((platform) =>
    CONVERSION_EVENT_TYPES.map((eventType): ConversionMappingView => {
      const o = overrides.find((r) => r.platform === platform && r.eventType === eventType);
      return {
        platform,
        eventType,
        defaultEventName: DEFAULT_EVENT_MAPPING[platform][eventType],
        eventName: o?.eventName ?? null,
        enabled: o?.enabled ?? true,
        valueMinor: o?.valueMinor ?? null,
        currency: o?.currency ?? null,
        overridden: Boolean(o),
        updatedAt: o?.updatedAt ?? null,
      };
    }),
  );
  return { data };
}
