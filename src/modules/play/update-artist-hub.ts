import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { artists } from "../../db/schema/play";
import { AppError, badRequest, notFound } from "../../lib/errors";
import type { Artist } from "./ensure-artist";
import { THEMES } from "./update-smart-link";

export const updateArtistHubInput = z.object({
  artistId: z.string().min(1),
  /** Optimistic concurrency: the `updatedAt` the editor saw (ISO 8601). */
  expectedUpdatedAt: z.iso.datetime({ offset: true }).optional(),
  hubTheme: z.enum(THEMES).optional(),
  hubDescription: z.string().max(500).nullable().optional(),
  hubPublished: z.boolean().optional(),
});
export type UpdateArtistHubInput = z.input<typeof updateArtistHubInput>;

/**
 * Edits an artist hub's theme, description and publish state.
 * @throws AppError BAD_REQUEST naming the field, NOT_FOUND, CONFLICT when
 *   `expectedUpdatedAt` is stale.
 */
export async function updateArtistHub({ ctx, input }: { ctx: Ctx; input: UpdateArtistHubInput }): Promise<Artist> {
  const parsed = updateArtistHubInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(issue.path.join(".") || "input", issue.message);
  }
  const data = parsed.data;
  const current = await ctx.db.query.artists.findFirst({ where: eq(artists.id, data.artistId) });
  if (!current) throw notFound(`artist ${data.artistId}`);
  const stale = new AppError("CONFLICT", "artist was changed by someone else; reload and try again");
  if (data.expectedUpdatedAt && new Date(data.expectedUpdatedAt).getTime() !== current.updatedAt.getTime()) throw stale;
  // `updatedAt` is the version token: it always moves forward (same reasoning as smart links).
  const now = ctx.clock.now();
  const updatedAt = now.getTime() > current.updatedAt.getTime() ? now : new Date(current.updatedAt.getTime() + 1);
  const [updated] = await ctx.db
    .update(artists)
    .set({
      ...(data.hubTheme ? { hubTheme: data.hubTheme } : {}),
      ...(data.hubDescription !== undefined ? { hubDescription: data.hubDescription?.trim() || null } : {}),
      ...(data.hubPublished !== undefined ? { hubPublished: data.hubPublished } : {}),
      updatedAt,
    })
    .where(and(eq(artists.id, current.id), eq(artists.updatedAt, current.updatedAt)))
    .returning();
  if (!updated) throw stale;
  return updated;
}
