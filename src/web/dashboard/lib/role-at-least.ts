import type { Role } from "./types";

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** Whether `role` is `min` or higher (admin > editor > viewer); no role → false. */
export function roleAtLeast(role: Role | null | undefined, min: Role): boolean {
  return role ? RANK[role] >= RANK[min] : false;
}
