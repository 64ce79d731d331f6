import type { Ctx } from "../../context";
import { inTransaction } from "../../lib/in-transaction";
import { updateAttributionSettings, type AttributionSettings, type AttributionSettingsInput } from "../attribution/index";
import { recordAudit } from "./record-audit";
import { requireArtistRole } from "./require-artist-role";

/**
 * Updates the attribution window and/or event values (editors and admins, or a key with
 * `artists.write`), audited, in one transaction.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST naming the field.
 */
export async function putAttributionSettings({ ctx, input }: { ctx: Ctx; input: { artistId: string; body: Record<string, unknown> } }): Promise<AttributionSettings> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "editor", keyScope: "artists.write" } });
  return inTransaction(ctx, async (tx) => {
    const settings = await updateAttributionSettings({ ctx: tx, input: { ...(input.body as AttributionSettingsInput), artistId: artist.id } });
    const changed = ["attributionWindowDays", "eventValues"].filter((k) => input.body[k] !== undefined);
    await recordAudit({
      ctx: tx,
      input: { organizationId: artist.organizationId, artistId: artist.id, action: "artist.attribution_update", resourceType: "artist", resourceId: artist.id, summary: `updated ${artist.name}'s attribution settings (${changed.join(", ") || "nothing"})`, metadata: { attributionWindowDays: settings.attributionWindowDays, eventValues: settings.eventValues.length } },
    });
    return settings;
  });
}
