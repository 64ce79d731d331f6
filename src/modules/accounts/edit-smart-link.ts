import type { Ctx } from "../../context";
import { inTransaction } from "../../lib/in-transaction";
import { updateSmartLink, type UpdateSmartLinkInput } from "../play/index";
import { recordAudit } from "./record-audit";
import { requireSmartLinkRole } from "./require-smart-link-role";
import { toSmartLinkView, type SmartLinkView } from "./smart-link-view";

const FIELDS = ["services", "theme", "pixels", "description", "published"] as const;

/**
 * Edits a smart link (editors and admins, or a key with `smart_links.write`) through
 * play's `updateSmartLink`, audited in the same transaction.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST (field named), CONFLICT (stale
 *   `expectedUpdatedAt`).
 */
export async function editSmartLink({ ctx, input }: { ctx: Ctx; input: UpdateSmartLinkInput }): Promise<SmartLinkView> {
  const { artist } = await requireSmartLinkRole({ ctx, input: { linkId: input.linkId, minRole: "editor", keyScope: "smart_links.write" } });
  return inTransaction(ctx, async (tx) => {
    const updated = await updateSmartLink({ ctx: tx, input });
    const changed = FIELDS.filter((k) => input[k] !== undefined);
    const publishing = input.published === undefined ? null : input.published ? "published" : "unpublished";
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
    return toSmartLinkView(updated, artist.slug, ctx.config.publicUrl);
  });
}
