import { badRequest } from "./errors";

/** Position in a list ordered by (created_at desc, id desc). */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

/** A page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Opaque cursor: base64url of `[createdAt ISO, id]`. Clients must not parse it. */
export function encodeCursor(at: PageCursor): string {
  return Buffer.from(JSON.stringify([at.createdAt.toISOString(), at.id])).toString("base64url");
}

/** @throws AppError BAD_REQUEST (field `cursor`) when the cursor was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): PageCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const createdAt = new Date(String(at));
    // Ids are prefixed ULIDs; the year range keeps the value one PostgreSQL can compare.
    if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || Number.isNaN(createdAt.getTime())) throw new Error("shape");
    const year = createdAt.getUTCFullYear();
    if (year < 1970 || year > 9999) throw new Error("range");
    return { createdAt, id };
  } catch {
    throw badRequest("cursor", "is not a cursor from a previous page");
  }
}

/** Cuts `limit + 1` fetched rows into a page. */
export function toPage<R, T>(rows: R[], limit: number, position: (row: R) => PageCursor, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { data: kept.map(map), nextCursor: more ? encodeCursor(position(kept[kept.length - 1]!)) : null };
}
