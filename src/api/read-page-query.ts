import type { Context } from "hono";
import { badRequest } from "../lib/errors";

/**
 * `?limit=1..100 (default 25)&cursor=…` of a list request.
 * @throws AppError BAD_REQUEST (`limit`).
 */
export function readPageQuery(c: Context): { limit: number; cursor?: string } {
  const raw = c.req.query("limit");
  const limit = raw === undefined || raw === "" ? 25 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest("limit", "must be a whole number from 1 to 100");
  const cursor = c.req.query("cursor");
  return { limit, ...(cursor ? { cursor } : {}) };
}
