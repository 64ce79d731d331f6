import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { artistSpend } from "../../db/schema/analytics";
import { artists } from "../../db/schema/play";
import { notFound } from "../../lib/errors";
import type { SpendEntry } from "./replace-spend";

/**
 * Every spend entry of the artist (all sources), oldest `dayFrom` first.
 * @throws AppError NOT_FOUND for an unknown artist.
 */
export async function listSpend({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<SpendEntry[]> {
  const [artist] = await ctx.db.select({ id: artists.id }).from(artists).where(eq(artists.id, input.artistId));
  if (!artist) throw notFound("artist");
  return ctx.db.select().from(artistSpend).where(eq(artistSpend.artistId, input.artistId)).orderBy(artistSpend.dayFrom, artistSpend.id);
}
