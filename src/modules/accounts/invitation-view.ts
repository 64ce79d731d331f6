import type { invitations } from "../../db/schema/accounts";
import type { Role } from "./compare-roles";

export type InvitationRow = typeof invitations.$inferSelect;
export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export interface InvitationView {
  id: string;
  organizationId: string | null;
  artistId: string | null;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: { userId: string; name: string } | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The API shape of an invitation row; a pending one past `expiresAt` reads `expired`. */
export function toInvitationView(row: InvitationRow, now: Date, invitedBy: { userId: string; name: string } | null): InvitationView {
  const status = row.status === "pending" && row.expiresAt.getTime() <= now.getTime() ? "expired" : (row.status as InvitationStatus);
  return { id: row.id, organizationId: row.organizationId, artistId: row.artistId, email: row.email, role: row.role as Role, status, invitedBy, createdAt: row.createdAt, expiresAt: row.expiresAt };
}
