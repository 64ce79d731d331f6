import { isDeepStrictEqual } from "node:util";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../context";
import { smartLinks, type PixelIds, type ServiceLink } from "../../db/schema/play";
import { AppError, badRequest, notFound } from "../../lib/errors";
import type { SmartLink } from "./create-smart-link";
import { isStreamingService, validateServiceUrl } from "./validate-service-url";

export const THEMES = ["classic", "brutalist", "aurora", "cinematic"] as const;
export type Theme = (typeof THEMES)[number];

/** Pixel ids are plain ids (digits, letters, `-`, `_`), never markup or script. */
const pixelId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1–32 letters, digits, - or _");

export const updateSmartLinkInput = z.object({
  linkId: z.string().min(1),
  /** Optimistic concurrency: the `updatedAt` the editor saw (ISO 8601). */
  expectedUpdatedAt: z.iso.datetime({ offset: true }).optional(),
  /** The full ordered list; order is display order. */
  services: z.array(z.object({ service: z.string(), url: z.string(), hidden: z.boolean().default(false) })).max(16).optional(),
  theme: z.enum(THEMES).optional(),
  pixels: z.object({ meta: pixelId, google: pixelId, tiktok: pixelId, reddit: pixelId }).partial().strict().optional(),
  description: z.string().max(500).nullable().optional(),
  published: z.boolean().optional(),
});
export type UpdateSmartLinkInput = z.input<typeof updateSmartLinkInput>;

/**
 * Edits a smart link's services, theme, pixels, description or publish state. Only fields
 * whose value changes are written; when none does, nothing is written and the link is
 * returned as it was (same `updatedAt`).
 * @throws AppError BAD_REQUEST naming the field (nothing is changed), NOT_FOUND,
 *   CONFLICT when `expectedUpdatedAt` is stale.
 */
export async function updateSmartLink({ ctx, input }: { ctx: Ctx; input: UpdateSmartLinkInput }): Promise<SmartLink> {
  const parsed = updateSmartLinkInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(issue.path.join(".") || "input", issue.message);
  }
  const data = parsed.data;

  let services: ServiceLink[] | undefined;
  if (data.services) {
    const seen = new Set<string>();
    services = data.services.map((s, i) => {
      if (!isStreamingService(s.service)) throw badRequest(`services.${i}.service`, `unknown streaming service "${s.service}"`);
      if (seen.has(s.service)) throw badRequest(`services.${i}.service`, `${s.service} is listed twice`);
      seen.add(s.service);
      return { service: s.service, url: validateServiceUrl(s.service, s.url, `services.${i}.url`), hidden: s.hidden };
    });
  }

  return ctx.db.transaction(async (tx) => {
    const current = await tx.query.smartLinks.findFirst({ where: eq(smartLinks.id, data.linkId) });
    if (!current) throw notFound(`smart link ${data.linkId}`);
    if (data.expectedUpdatedAt && new Date(data.expectedUpdatedAt).getTime() !== current.updatedAt.getTime()) {
      throw new AppError("CONFLICT", "smart link was changed by someone else; reload and try again");
    }
    // `updatedAt` is the version token: it must move on every write, even when two writes
    // land in the same millisecond or a node's clock is behind the one that wrote last.
    const next = {
      ...(services ? { services } : {}),
      ...(data.theme ? { theme: data.theme } : {}),
      ...(data.pixels ? { pixels: data.pixels as PixelIds } : {}),
      ...(data.description !== undefined ? { description: data.description?.trim() || null } : {}),
      ...(data.published !== undefined ? { published: data.published } : {}),
    };
    // A save that changes nothing writes nothing: the version token stays, so an open
    // editor elsewhere is not told it is stale, and nothing is audited.
    const changes = Object.entries(next).filter(([key, value]) => !isDeepStrictEqual(value, current[key as keyof typeof next]));
    if (changes.length === 0) return current;
    const now = ctx.clock.now();
    const updatedAt = now.getTime() > current.updatedAt.getTime() ? now : new Date(current.updatedAt.getTime() + 1);
    const [updated] = await tx
      .update(smartLinks)
      .set({ ...Object.fromEntries(changes), updatedAt })
      .where(and(eq(smartLinks.id, current.id), eq(smartLinks.updatedAt, current.updatedAt)))
      .returning();
    if (!updated) throw new AppError("CONFLICT", "smart link was changed by someone else; reload and try again");
    return updated;
  });
}
