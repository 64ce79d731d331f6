import type { Ctx } from "../../context";
import { listSpend, type SpendEntry } from "../attribution/index";
import { requireArtistRole } from "./require-artist-role";

/** Spend entries of a visible artist (all sources). @throws AppError NOT_FOUND, FORBIDDEN. */
export async function getArtistSpend({ ctx, input }: { ctx: Ctx; input: { artistId: string } }): Promise<{ data: SpendEntry[] }> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "viewer", keyScope: "read" } });
  return { data: await listSpend({ ctx, input: { artistId: artist.id } }) };
}
