import { APIError } from "better-auth/api";

/** Text PostgreSQL cannot store: a NUL, or a lone UTF-16 surrogate. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Names are 1–100 characters, as `PATCH /api/v1/me` allows (see update-me.ts). */
export const USER_NAME_MAX = 100;

/**
 * The user fields Better Auth is about to write (`name`, `image`) checked against our rules,
 * for its `databaseHooks.user`: Better Auth's own endpoints (`/auth/sign-up/email`,
 * `/auth/update-user`) accept any length and any URL. `strict` (a person typed it): a name
 * over 100 characters or holding a NUL or lone surrogate, or an image that is not an https URL, is refused
 * with 400 naming the field. Otherwise (a provider profile, a magic-link sign-up) the name
 * is cut to 100 characters without those and a non-https image is dropped, so sign-in works.
 * @returns the fields to write instead.
 * @throws APIError BAD_REQUEST (`name`, `image`) when strict.
 */
export function checkUserProfile<T extends { name?: unknown; image?: unknown }>({ input }: { input: { data: T; strict: boolean } }): T {
  const { data, strict } = input;
  const out = { ...data };
  if (typeof data.name === "string") {
    if (strict && (data.name.length > USER_NAME_MAX || new RegExp(UNSTORABLE.source).test(data.name))) {
      throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: `name: must be at most ${USER_NAME_MAX} characters, without NUL or lone surrogates` });
    }
    // Cut, then clean again: the cut may split a surrogate pair.
    out.name = data.name.replace(UNSTORABLE, "").slice(0, USER_NAME_MAX).replace(UNSTORABLE, "");
  }
  if (typeof data.image === "string") {
    let https = false;
    try {
      https = new URL(data.image).protocol === "https:" && data.image.length <= 2048;
    } catch {
      https = false;
    }
    if (!https) {
      if (strict) throw new APIError("BAD_REQUEST", { code: "INVALID_IMAGE", message: "image: must be an https URL (at most 2048 characters)" });
      out.image = null;
    }
  }
  return out;
}
