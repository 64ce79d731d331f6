import { isDeepStrictEqual } from "node:util";
import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { smartLinks } from "../../db/schema/play";
import { inTransaction } from "../../lib/in-transaction";
import { updateSmartLink, type UpdateSmartLinkInput } from "../play/index";
import { recordAudit } from "./record-audit";
import { requireSmartLinkRole } from "./require-smart-link-role";
import { toSmartLinkView, type SmartLinkView } from "./smart-link-view";

const FIELDS = ["services", "theme", "pixels", "description", "published"] as const;

/**
 * Edits a smart link (editors and admins, or a key with `smart_links.write`) through
 * play's `updateSmartLink`, audited in the same transaction. The audit entry names only
 * the fields whose value changed (`metadata.fields`); a save that changes nothing writes
 * no audit entry and keeps `updatedAt`.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST (field named), CONFLICT (stale
 *   `expectedUpdatedAt`).
 */
export async function editSmartLink({ ctx, input }: { ctx: Ctx; input: UpdateSmartLinkInput }): Promise<SmartLinkView> {
  const { artist } = await requireSmartLinkRole({ ctx, input: { linkId: input.linkId, minRole: "editor", keyScope: "smart_links.write" } });
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db.query.smartLinks.findFirst({ where: eq(smartLinks.id, input.linkId) });
    const updated = await updateSmartLink({ ctx: tx, input });
    // Only fields whose value changed are named; a save that changed nothing is not audited.
    const changed = FIELDS.filter((k) => before && !isDeepStrictEqual(before[k], updated[k]));
    if (changed.length > 0) {
      const publishing = changed.includes("published") ? (updated.published ? "published" : "unpublished") : null;
      await recordAudit({
        ctx: tx,
        input: {
          organizationId: artist.organizationId,
          artistId: artist.id,
          action: publishing ? `smart_link.${publishing === "published" ? "publish" : "unpublish"}` : "smart_link.update",
          resourceType: "smart_link",
          resourceId: updated.id,
          summary: `${publishing ?? "updated"} ${updated.title}${changed.length ? ` (${changed.join(", ")})` : ""}`,
          metadata: { fields: changed },
        },
      });
    }
    return toSmartLinkView(updated, artist.slug, ctx.config.publicUrl);
  });
}
