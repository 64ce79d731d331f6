/**
 * Shapes of the Backbeat API v1 and auth answers the dashboard reads
 * (/work/coord/api-contract.md). Times are ISO 8601 UTC strings; ids are prefixed ULIDs.
 */
export type Role = "admin" | "editor" | "viewer";

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  name: string;
  email: string;
  /** From the session (`GET /auth/get-session`) only; absent in `/api/v1/me`. */
  emailVerified?: boolean;
  image: string | null;
}

export interface Session {
  session: { id: string; expiresAt: string };
  user: User;
}

export interface Providers {
  email: boolean;
  magicLink: boolean;
  google: boolean;
  meta: boolean;
}

export interface MeOrganization {
  id: string;
  name: string;
  role: Role;
}

export interface MeArtist {
  id: string;
  name: string;
  slug: string;
  imageUrl: string | null;
  organizationId: string | null;
  role: Role;
}

export interface Me {
  user: User;
  organizations: MeOrganization[];
  artists: MeArtist[];
}

export interface Organization {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Artist {
  id: string;
  name: string;
  slug: string;
  imageUrl: string | null;
  spotifyArtistId: string;
  organizationId: string | null;
  role: Role;
  hubTheme: string;
  hubDescription: string | null;
  hubPublished: boolean;
  publicUrl: string;
  createdAt: string;
  updatedAt: string;
  smartLinkCount: number;
}

export interface LinkService {
  service: string;
  url: string;
  hidden: boolean;
}

export interface Pixels {
  meta?: string;
  google?: string;
  tiktok?: string;
  reddit?: string;
}

export interface SmartLink {
  id: string;
  artistId: string;
  slug: string;
  title: string;
  releaseType: string;
  releaseDate: string | null;
  artworkUrl: string | null;
  releaseArtists: { spotifyId: string; name: string }[];
  services: LinkService[];
  theme: string;
  pixels: Pixels;
  description: string | null;
  published: boolean;
  publicUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface ThemeOption {
  id: string;
  name: string;
}

export interface ServiceOption {
  id: string;
  name: string;
  hosts: string[];
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
  /** `artist`: a direct grant on the artist; `organization`: carried from the organization role. */
  via: "artist" | "organization";
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: "pending" | "accepted" | "revoked" | "expired";
  /** One of the two is null: an invitation is to an organization or to one artist. */
  organizationId: string | null;
  artistId: string | null;
  /** Null when the inviter was erased or the invitation came from an API key. */
  invitedBy: { userId: string; name: string } | null;
  createdAt: string;
  expiresAt: string;
}

export interface InvitationPreview {
  organizationName: string | null;
  artistName: string | null;
  role: Role;
  email: string;
  status: Invitation["status"];
  expiresAt: string;
}

export interface InvitationAccepted {
  organizationId: string | null;
  artistId: string | null;
  role: Role;
}

export const API_KEY_SCOPES = ["read", "smart_links.write", "artists.write", "members.write", "conversions.write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  createdBy: { userId: string; name: string };
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: "user" | "api_key" | "system"; userId?: string; name?: string; apiKeyId?: string; apiKeyName?: string };
  sessionId: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  summary: string;
  metadata: Record<string, unknown>;
}
