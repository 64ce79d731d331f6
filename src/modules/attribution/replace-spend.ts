import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artistSpend } from "../../db/schema/analytics";
import { artists, smartLinks } from "../../db/schema/play";
import { badRequest, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { MAX_RANGE_DAYS, parseAnalyticsRange } from "./parse-analytics-range";

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD (UTC)");

/** One spend entry as the artist enters it. */
export const SpendEntryInput = z
  .object({
    utmCampaign: z.string().trim().min(1, "must not be empty").max(200, "at most 200 characters"),
    /** Optional: spend on one smart link of the campaign; omitted/null = the whole campaign. */
    smartLinkId: z.string().regex(/^lnk_[0-9a-z]{26}$/, "must be a smart link id (lnk_…)").nullable().optional(),
    dayFrom: isoDay,
    dayTo: isoDay,
    amountMinor: z.number().int("must be an integer (minor units, e.g. cents)").min(0, "must not be negative").max(1e13, "too large"),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code in capitals, e.g. EUR"),
    note: z.string().max(500, "at most 500 characters").nullable().optional(),
  })
  .strict();
export type SpendEntryInput = z.input<typeof SpendEntryInput>;

const ReplaceSpendInput = z.object({ artistId: z.string(), entries: z.array(SpendEntryInput).max(1000, "at most 1000 entries") }).strict();

export interface SpendEntry {
  id: string;
  source: string;
  utmCampaign: string;
  smartLinkId: string | null;
  dayFrom: string;
  dayTo: string;
  amountMinor: number;
  currency: string;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Replaces the artist's manually entered spend (`source = 'manual'`) with `entries`, in one
 * transaction; spend from other sources (imported ad spend) is left alone. An entry covers
 * `dayFrom`..`dayTo` inclusive (UTC, at most 366 days), `amountMinor` in minor units of
 * `currency` (ISO 4217).
 *
 * @throws AppError BAD_REQUEST naming the field (`entries.3.currency`); NOT_FOUND for an
 *   unknown artist or a smart link of another artist (nothing is changed).
 * @returns the artist's manual entries after the change.
 */
export async function replaceSpend({ ctx, input }: { ctx: Ctx; input: { artistId: string; entries: SpendEntryInput[] } }): Promise<SpendEntry[]> {
  const parsed = ReplaceSpendInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(issue.path.join(".") || "input", issue.message);
  }
  const { artistId, entries } = parsed.data;
  entries.forEach((e, i) => {
    try {
      parseAnalyticsRange({ from: e.dayFrom, to: e.dayTo });
    } catch {
      throw badRequest(`entries.${i}.dayTo`, `must be a calendar date on or after dayFrom, at most ${MAX_RANGE_DAYS} days after it`);
    }
  });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [artist] = await tx.select({ id: artists.id }).from(artists).where(eq(artists.id, artistId));
    if (!artist) throw notFound("artist");
    const linkIds = [...new Set(entries.map((e) => e.smartLinkId).filter((id): id is string => !!id))];
    if (linkIds.length > 0) {
      const owned = new Set((await tx.select({ id: smartLinks.id }).from(smartLinks).where(and(eq(smartLinks.artistId, artistId), inArray(smartLinks.id, linkIds)))).map((r) => r.id));
      const index = entries.findIndex((e) => e.smartLinkId && !owned.has(e.smartLinkId));
      if (index >= 0) throw notFound(`entries.${index}.smartLinkId: smart link`);
    }
    await tx.delete(artistSpend).where(and(eq(artistSpend.artistId, artistId), eq(artistSpend.source, "manual")));
    if (entries.length > 0) {
      await tx.insert(artistSpend).values(
        entries.map((e) => ({
          id: newId("spend", now),
          artistId,
          source: "manual",
          utmCampaign: e.utmCampaign,
          smartLinkId: e.smartLinkId ?? null,
          dayFrom: e.dayFrom,
          dayTo: e.dayTo,
          amountMinor: e.amountMinor,
          currency: e.currency,
          note: e.note ?? null,
          createdAt: now,
          updatedAt: now,
        })),
      );
    }
    return tx.select().from(artistSpend).where(and(eq(artistSpend.artistId, artistId), eq(artistSpend.source, "manual"))).orderBy(artistSpend.dayFrom, artistSpend.id);
  });
}
