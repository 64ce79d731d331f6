import type { Ctx } from "../../context";
import { requireSmartLinkRole } from "./require-smart-link-role";
import { toSmartLinkView, type SmartLinkView } from "./smart-link-view";

/** One smart link of a visible artist. @throws AppError NOT_FOUND, FORBIDDEN (key without `read`). */
export async function getSmartLink({ ctx, input }: { ctx: Ctx; input: { linkId: string } }): Promise<SmartLinkView> {
  const { link, artist } = await requireSmartLinkRole({ ctx, input: { linkId: input.linkId, minRole: "viewer", keyScope: "read" } });
  return toSmartLinkView(link, artist.slug, ctx.config.publicUrl);
}
