/** Roles, strongest first in rank: admin (3) > editor (2) > viewer (1). */
export const ROLES = ["admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** What an organization's API key may do besides nothing. */
export const API_SCOPES = ["read", "smart_links.write", "artists.write", "members.write", "conversions.write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const RANK: Record<Role, number> = { admin: 3, editor: 2, viewer: 1 };

/** Rank of a role (0 for none); `compareRoles(a, b) >= 0` ⇔ a is at least b. */
export function compareRoles(a: Role | null, b: Role | null): number {
  return (a ? RANK[a] : 0) - (b ? RANK[b] : 0);
}

/** The role of a rank from `rankArtistRole` (1…3), or null for 0. */
export function roleOfRank(rank: number): Role | null {
  return rank >= 3 ? "admin" : rank === 2 ? "editor" : rank === 1 ? "viewer" : null;
}
