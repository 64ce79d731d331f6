import type { apiKeys } from "../../db/schema/accounts";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface ApiKeyView {
  id: string;
  name: string;
  /** First characters of the secret (`bb_` + 8), to recognise a key; not usable alone. */
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdBy: { userId: string; name: string } | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The API shape of a key row (never the hash). */
export function toApiKeyView(row: ApiKeyRow, createdBy: { userId: string; name: string } | null): ApiKeyView {
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes, createdAt: row.createdAt, createdBy, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}
