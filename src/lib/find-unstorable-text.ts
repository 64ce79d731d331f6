/** A NUL (U+0000) or a lone UTF-16 surrogate: text PostgreSQL (UTF-8) cannot store. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Decoded UTF-8 never holds those raw; in JSON text only these escapes can spell them. */
const SUSPECT_ESCAPE = /\\u(0000|d[89a-f])/i;

function walk(value: unknown, path: string): string | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = walk(item, path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (UNSTORABLE.test(key)) return at;
      const found = walk(item, at);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Where a JSON request body holds text PostgreSQL cannot store (a NUL, or a lone surrogate
 * such as `"\ud800"`): the dotted path of the first such string (`services.0.url`; `""` for
 * the body itself), or null when there is none or the text is not JSON (the route's own
 * parser answers that). Cheap for ordinary bodies: it parses only when a suspect escape occurs.
 */
export function findUnstorableText(json: string): string | null {
  if (!SUSPECT_ESCAPE.test(json)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  return walk(parsed, "");
}
