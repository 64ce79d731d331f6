import type { Ctx } from "../../context";
import { renderSmartLinkPage } from "../../web/pages/render-smart-link-page";
import { parseInput } from "../../lib/parse-input";
import { z } from "zod";
import { THEMES } from "../play/index";
import { requireSmartLinkRole } from "./require-smart-link-role";

const previewInput = z.object({
  services: z.array(z.object({ service: z.string().max(40), url: z.string().max(2048), hidden: z.boolean().default(false) })).max(16).optional(),
  theme: z.enum(THEMES).optional(),
  description: z.string().max(500).nullable().optional(),
});

/**
 * The landing page of a smart link rendered with unsaved changes, as HTML, for the
 * dashboard's live preview (viewers and up). Nothing is stored; unknown services are not
 * rendered (the page's own rule); no events are recorded.
 * @throws AppError NOT_FOUND, FORBIDDEN, BAD_REQUEST (field named).
 */
export async function previewSmartLink({ ctx, input }: { ctx: Ctx; input: { linkId: string; services?: unknown; theme?: unknown; description?: unknown } }): Promise<string> {
  const { link, artist } = await requireSmartLinkRole({ ctx, input: { linkId: input.linkId, minRole: "viewer", keyScope: "read" } });
  const changes = parseInput(previewInput, { services: input.services, theme: input.theme, description: input.description });
  const draft = {
    ...link,
    ...(changes.services ? { services: changes.services } : {}),
    ...(changes.theme ? { theme: changes.theme } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
  };
  return renderSmartLinkPage({ link: draft, artist, publicUrl: ctx.config.publicUrl, inAppBrowser: null, saveEnabled: true, now: ctx.clock.now() });
}
