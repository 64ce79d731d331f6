import { count, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { smartLinks } from "../../db/schema/play";
import { toArtistView, type ArtistView } from "./artist-view";
import { requireArtistRole } from "./require-artist-role";

/** One visible artist. @throws AppError NOT_FOUND (missing or not visible), FORBIDDEN (key without `read`). */
export async function getArtist({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<ArtistView> {
  const { artist, role } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  const [row] = await ctx.db.select({ n: count() }).from(smartLinks).where(eq(smartLinks.artistId, artist.id));
  return toArtistView(artist, role, Number(row?.n ?? 0), ctx.config.publicUrl);
}
