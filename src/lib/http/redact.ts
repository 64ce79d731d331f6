/**
 * Scrubbing for anything a vendor client may put in an error message or a log line
 * (PROMISES P02: no token, key or secret in logs or error messages).
 */

export const REDACTED = "[redacted]";

/** Form/JSON field names whose values are always secrets. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "access_token",
  "refresh_token",
  "id_token",
  "client_secret",
  "code",
  "code_verifier",
  "password",
  "assertion",
]);

/** Shortest value we scrub by exact match; shorter strings would shred ordinary text. */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces every occurrence of each secret in `text`, plus any `Bearer …` / `Basic …`
 * credential, with `[redacted]`.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  const sorted = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  for (const secret of sorted) out = out.split(secret).join(REDACTED);
  return out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`);
}

/**
 * The secret values carried by a request: credentials in the `Authorization` header
 * (whole value and the part after the scheme) and values of `SECRET_FIELDS` in a form body.
 */
export function collectRequestSecrets(input: {
  headers?: Record<string, string> | undefined;
  form?: Record<string, string> | undefined;
}): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (name.toLowerCase() !== "authorization") continue;
    found.push(value);
    const space = value.indexOf(" ");
    if (space > 0) found.push(value.slice(space + 1));
  }
  for (const [name, value] of Object.entries(input.form ?? {})) {
    if (SECRET_FIELDS.has(name)) found.push(value);
  }
  return found;
}
