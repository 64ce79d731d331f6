import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistEventValues } from "../../db/schema/analytics";
import { artists } from "../../db/schema/play";
import { notFound } from "../../lib/errors";

/** An artist's attribution settings. */
export interface AttributionSettings {
  /** Days after a fan's AUTH / SAVE / FOLLOW / PRESAVE through a smart link during which their streams are attributed to it (last touch). */
  attributionWindowDays: number;
  /** Value of one counted event of a type, for conversion reporting (minor units + ISO 4217). */
  eventValues: Array<{ eventType: string; amountMinor: number; currency: string }>;
}

/** @throws AppError NOT_FOUND for an unknown artist. */
export async function readAttributionSettings({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<AttributionSettings> {
  const [artist] = await ctx.db.select({ windowDays: artists.attributionWindowDays }).from(artists).where(eq(artists.id, input.artistId));
  if (!artist) throw notFound("artist");
  const values = await ctx.db.select().from(artistEventValues).where(eq(artistEventValues.artistId, input.artistId)).orderBy(artistEventValues.eventType);
  return { attributionWindowDays: artist.windowDays, eventValues: values.map((v) => ({ eventType: v.eventType, amountMinor: v.amountMinor, currency: v.currency })) };
}
