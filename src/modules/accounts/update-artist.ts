import { count, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { smartLinks } from "../../db/schema/play";
import { inTransaction } from "../../lib/in-transaction";
import { updateArtistHub, type UpdateArtistHubInput } from "../play/index";
import { toArtistView, type ArtistView } from "./artist-view";
import { recordAudit } from "./record-audit";
import { requireArtistRole } from "./require-artist-role";

/**
 * Edits an artist hub (editors and admins, or a key with `artists.write`).
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST (field named), CONFLICT (stale
 *   `expectedUpdatedAt`).
 */
export async function updateArtist({ ctx, input }: { ctx: Ctx; input: UpdateArtistHubInput }): Promise<ArtistView> {
  const { artist, role } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "editor", keyScope: "artists.write" } });
  return inTransaction(ctx, async (tx) => {
    const updated = await updateArtistHub({ ctx: tx, input });
    const changed = (["hubTheme", "hubDescription", "hubPublished"] as const).filter((k) => input[k] !== undefined);
    await recordAudit({ ctx: tx, input: { organizationId: artist.organizationId, artistId: artist.id, action: "artist.update", resourceType: "artist", resourceId: artist.id, summary: `updated ${artist.name}'s hub (${changed.join(", ") || "nothing"})`, metadata: Object.fromEntries(changed.map((k) => [k, input[k]])) } });
    const [row] = await tx.db.select({ n: count() }).from(smartLinks).where(eq(smartLinks.artistId, artist.id));
    return toArtistView(updated, role, Number(row?.n ?? 0), ctx.config.publicUrl);
  });
}
