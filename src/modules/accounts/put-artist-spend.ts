import type { Ctx } from "../../context";
import { badRequest } from "../../lib/errors";
import { inTransaction } from "../../lib/in-transaction";
import { replaceSpend, type SpendEntry, type SpendEntryInput } from "../attribution/index";
import { recordAudit } from "./record-audit";
import { requireArtistRole } from "./require-artist-role";

/**
 * Replaces the artist's manual spend entries (editors and admins, or a key with
 * `artists.write`), audited, in one transaction.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST naming the field (`entries.2.currency`).
 */
export async function putArtistSpend({ ctx, input }: { ctx: Ctx; input: { artistId: string; entries: unknown } }): Promise<{ data: SpendEntry[] }> {
  const { artist } = await requireArtistRole({ ctx, input: { artistId: input.artistId, minRole: "editor", keyScope: "artists.write" } });
  if (!Array.isArray(input.entries)) throw badRequest("entries", "must be an array of spend entries");
  return inTransaction(ctx, async (tx) => {
    const data = await replaceSpend({ ctx: tx, input: { artistId: artist.id, entries: input.entries as SpendEntryInput[] } });
    await recordAudit({
      ctx: tx,
      input: { organizationId: artist.organizationId, artistId: artist.id, action: "artist.spend_replace", resourceType: "artist", resourceId: artist.id, summary: `set ${data.length} manual spend entr${data.length === 1 ? "y" : "ies"} for ${artist.name}`, metadata: { entries: data.length } },
    });
    return { data };
  });
}
