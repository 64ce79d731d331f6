import type { MiddlewareHandler } from "hono";
import { badRequest } from "../lib/errors";
import { findUnstorableText } from "../lib/find-unstorable-text";
import type { ApiEnv } from "./api-env";

const NUL = "\u0000";

/**
 * Refuses text PostgreSQL cannot store — a NUL (U+0000) anywhere in the path, the query or a
 * JSON body, or a lone surrogate (`"\ud800"`) in a JSON body — with BAD_REQUEST naming where;
 * it would otherwise end as a 500 from the database (or be looked up as an id). Runs before
 * anything reads or writes. Bodies that are not JSON are left to the route's validator.
 * @throws AppError BAD_REQUEST (`path`, the query parameter's name, or the body field).
 */
export function refuseUnstorableText(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape is not a NUL; routing answers it.
    }
    if (path.includes(NUL)) throw badRequest("path", "must not contain a NUL character");
    for (const [name, value] of url.searchParams) if (value.includes(NUL) || name.includes(NUL)) throw badRequest(name.replaceAll(NUL, ""), "must not contain a NUL character");
    if (/json/i.test(c.req.header("content-type") ?? "")) {
      const field = findUnstorableText(await c.req.text());
      if (field !== null) throw badRequest(field || "body", "must not contain a NUL character or a lone surrogate");
    }
    return next();
  };
}
