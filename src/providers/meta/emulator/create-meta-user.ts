import type { MetaState, MetaUser } from "./create-meta-state";

export interface CreateMetaUserInput {
  name: string;
  email?: string | null;
  pictureUrl?: string | null;
}

/** Adds a test Facebook user (or returns the one with that e-mail). */
export function createMetaUser(state: MetaState, input: CreateMetaUserInput): MetaUser {
  const email = input.email?.trim().toLowerCase() || null;
  const existing = email ? state.users.find((u) => u.email === email) : undefined;
  if (existing) return existing;
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => String(b % 10)).join("");
  const user: MetaUser = { id: `1${digits.slice(1)}`, name: input.name.trim() || "Test User", email, pictureUrl: input.pictureUrl ?? null };
  state.users.push(user);
  return user;
}
