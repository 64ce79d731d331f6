import { and, desc, eq, ilike, lt, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { smartLinks } from "../../db/schema/play";
import type { SmartLink } from "./create-smart-link";

export interface SearchSmartLinksInput {
  artistId: string;
  /** Case-insensitive substring of the title. */
  q?: string;
  published?: boolean;
  releaseType?: string;
  /** Keyset position: rows strictly after it in (created_at desc, id desc). */
  after?: { createdAt: Date; id: string };
  /** Rows to return (the caller asks one more to know whether a next page exists). */
  limit: number;
}

/** Escapes `%`, `_` and `\` so a search text matches literally inside ILIKE. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One artist's smart links, newest first, filtered and keyset-paginated. The caller
 * decides who may see the artist (accounts module).
 */
export async function searchSmartLinks({ ctx, input }: { ctx: Ctx; input: SearchSmartLinksInput }): Promise<SmartLink[]> {
  const where: (SQL | undefined)[] = [eq(smartLinks.artistId, input.artistId)];
  if (input.q) where.push(ilike(smartLinks.title, likePattern(input.q)));
  if (input.published !== undefined) where.push(eq(smartLinks.published, input.published));
  if (input.releaseType) where.push(eq(smartLinks.releaseType, input.releaseType));
  if (input.after) {
    const { createdAt, id } = input.after;
    where.push(or(lt(smartLinks.createdAt, createdAt), and(eq(smartLinks.createdAt, createdAt), lt(smartLinks.id, id))));
  }
  return ctx.db
    .select()
    .from(smartLinks)
    .where(and(...where))
    .orderBy(desc(smartLinks.createdAt), desc(smartLinks.id))
    .limit(input.limit);
}
