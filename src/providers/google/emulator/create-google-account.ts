import type { GoogleAccount, GoogleState } from "./create-google-state";

export interface CreateGoogleAccountInput {
  email: string;
  name?: string;
  emailVerified?: boolean;
  picture?: string | null;
}

/** Adds a test Google account (or returns the one with that e-mail). */
export function createGoogleAccount(state: GoogleState, input: CreateGoogleAccountInput): GoogleAccount {
  const email = input.email.trim().toLowerCase();
  const existing = state.accounts.find((a) => a.email === email);
  if (existing) return existing;
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(21)), (b) => String(b % 10)).join("");
  const account: GoogleAccount = {
    sub: `1${digits.slice(1)}`,
    email,
    emailVerified: input.emailVerified ?? true,
    name: input.name?.trim() || email.split("@")[0]!,
    picture: input.picture ?? null,
  };
  state.accounts.push(account);
  return account;
}
