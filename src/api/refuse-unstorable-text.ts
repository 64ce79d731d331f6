import type { MiddlewareHandler } from "hono";
import { badRequest } from "../lib/errors";
import type { ApiEnv } from "./api-env";

const NUL = "\u0000";

/** A NUL, or a lone UTF-16 surrogate (JSON's `"\ud800"`): text PostgreSQL cannot store. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (text: string): boolean => text.includes(NUL) || LONE_SURROGATE.test(text);

/** The dotted path of the first unstorable string inside a parsed JSON value, or null. */
function findUnstorable(value: unknown, path: string): string | null {
  if (typeof value === "string") return unstorable(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnstorable(item, path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnstorable(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

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
      const text = await c.req.text();
      // Only escapes can carry these through JSON text: parse again only when one is there.
      if (/\\u(0000|d[89a-f])/i.test(text)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return next();
        }
        const field = findUnstorable(parsed, "");
        if (field !== null) throw badRequest(field || "body", "must not contain a NUL character or a lone surrogate");
      }
    }
    return next();
  };
}
