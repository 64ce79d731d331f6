import type { Config } from "../../config";

export interface SignInMethods {
  email: true;
  magicLink: true;
  google: boolean;
  meta: boolean;
}

/** What the sign-in page should offer: Google/Meta only when configured (or emulated outside production). */
export function listSignInMethods(input: { config: Config }): SignInMethods {
  return { email: true, magicLink: true, google: input.config.google.mode !== "off", meta: input.config.meta.mode !== "off" };
}
