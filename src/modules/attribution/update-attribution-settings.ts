import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artistEventValues } from "../../db/schema/analytics";
import { artists } from "../../db/schema/play";
import { badRequest, notFound } from "../../lib/errors";
import { readAttributionSettings, type AttributionSettings } from "./read-attribution-settings";

/** Event types an artist can put a value on. */
export const VALUED_EVENT_TYPES = ["VIEW", "SERVICE_CLICK", "PRESAVE", "AUTH", "SAVE_TRACK", "FOLLOW_ARTIST", "STREAM"] as const;
/** Longest attribution window (Spotify refresh tokens expire after about six months). */
export const MAX_WINDOW_DAYS = 180;

export const AttributionSettingsInput = z
  .object({
    attributionWindowDays: z.number().int("must be a whole number of days").min(1, "must be at least 1").max(MAX_WINDOW_DAYS, `must be at most ${MAX_WINDOW_DAYS}`).optional(),
    eventValues: z
      .array(
        z
          .object({
            eventType: z.enum(VALUED_EVENT_TYPES, { message: `must be one of ${VALUED_EVENT_TYPES.join(", ")}` }),
            amountMinor: z.number().int("must be an integer (minor units)").min(0, "must not be negative").max(1e10, "too large"),
            currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code in capitals, e.g. EUR"),
          })
          .strict(),
      )
      .max(VALUED_EVENT_TYPES.length)
      .refine((list) => new Set(list.map((v) => v.eventType)).size === list.length, "each eventType at most once")
      .optional(),
  })
  .strict();
export type AttributionSettingsInput = z.input<typeof AttributionSettingsInput>;

/**
 * Updates the artist's attribution window and/or replaces its event values (a field left out
 * is unchanged), in one transaction. A new window applies to streams derived from now on;
 * streams already attributed keep their attribution.
 *
 * @throws AppError BAD_REQUEST naming the field (`eventValues.1.currency`); NOT_FOUND for an
 *   unknown artist. Nothing is changed on error.
 */
export async function updateAttributionSettings({ ctx, input }: { ctx: Ctx; input: { artistId: string } & AttributionSettingsInput }): Promise<AttributionSettings> {
  const { artistId, ...rest } = input;
  const parsed = AttributionSettingsInput.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(issue.path.join(".") || "body", issue.message);
  }
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [artist] = await tx.select({ id: artists.id }).from(artists).where(eq(artists.id, artistId));
    if (!artist) throw notFound("artist");
    if (parsed.data.attributionWindowDays !== undefined) {
      await tx.update(artists).set({ attributionWindowDays: parsed.data.attributionWindowDays, updatedAt: now }).where(eq(artists.id, artistId));
    }
    if (parsed.data.eventValues) {
      await tx.delete(artistEventValues).where(eq(artistEventValues.artistId, artistId));
      if (parsed.data.eventValues.length > 0) {
        await tx.insert(artistEventValues).values(parsed.data.eventValues.map((v) => ({ artistId, ...v, updatedAt: now })));
      }
    }
  });
  return readAttributionSettings({ ctx, input: { artistId } });
}
