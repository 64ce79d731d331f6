import type { Ctx } from "../../context";
import { readAttributionSettings, type AttributionSettings } from "../attribution/index";
import { requireArtistRole } from "./require-artist-role";

/** Attribution window and event values of a visible artist. @throws AppError NOT_FOUND, FORBIDDEN. */
export async function getAttributionSettings({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<AttributionSettings> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  return readAttributionSettings({ ctx, input: { artistId: artist.id } });
}
