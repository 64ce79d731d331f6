import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { conversionDestinations } from "../../db/schema/conversion-delivery";
import { requireArtistRole } from "../accounts/index";
import { DESTINATION_SETTINGS_COLUMNS, toDestinationSettingsView, type DestinationSettingsView } from "./destination-settings-view";

/**
 * An artist's conversion destinations (at most one per platform), tokens never included.
 * Viewers of the artist; API keys with `read`.
 * @throws AppError NOT_FOUND (missing or another tenant's artist), FORBIDDEN.
 */
export async function listConversionDestinations({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<{ data: DestinationSettingsView[] }> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  const rows = await ctx.db
    .select(DESTINATION_SETTINGS_COLUMNS)
    .from(conversionDestinations)
    .where(eq(conversionDestinations.artistId, artist.id))
    .orderBy(asc(conversionDestinations.createdAt), asc(conversionDestinations.id));
  return { data: rows.map((r) => toDestinationSettingsView(ctx, r)) };
}
