import { z } from "@hono/zod-openapi";
import { API_SCOPES, ROLES } from "../modules/accounts/index";
import { THEMES } from "../modules/play/index";

/*
 * Zod schemas of `/api/v1` (docs/api-contract): request inputs are loose where the verb
 * validates them (so a bad value is one BAD_REQUEST naming the field, from one place),
 * responses are exact. They generate `/api/v1/openapi.json`.
 */

const time = z.string().openapi({ format: "date-time", example: "2026-11-29T12:00:00.000Z" });
const role = z.enum(ROLES).openapi("Role");

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "RATE_LIMITED", "PROVIDER_ERROR", "UNAVAILABLE", "INTERNAL"]),
      message: z.string(),
      requestId: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

export const PageQuery = z.object({
  limit: z.string().optional().openapi({ param: { name: "limit", in: "query" }, description: "1…100, default 25", example: "25" }),
  cursor: z.string().optional().openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page (opaque)" }),
});

export function page<T extends z.ZodType>(item: T, name: string) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

export const User = z.object({ id: z.string(), name: z.string(), email: z.string(), image: z.string().nullable() }).openapi("User");
export const Me = z
  .object({
    user: User,
    organizations: z.array(z.object({ id: z.string(), name: z.string(), role })),
    artists: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), imageUrl: z.string().nullable(), organizationId: z.string().nullable(), role })),
  })
  .openapi("Me");

export const Organization = z.object({ id: z.string(), name: z.string(), role, createdAt: time }).openapi("Organization");
export const Member = z.object({ userId: z.string(), name: z.string(), email: z.string(), role, joinedAt: time, via: z.enum(["organization", "artist"]) }).openapi("Member");
export const Invitation = z
  .object({
    id: z.string(),
    organizationId: z.string().nullable(),
    artistId: z.string().nullable(),
    email: z.string(),
    role,
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    invitedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
    createdAt: time,
    expiresAt: time,
  })
  .openapi("Invitation");
export const InvitationPreview = z
  .object({ organizationName: z.string().nullable(), artistName: z.string().nullable(), role, email: z.string(), status: z.enum(["pending", "accepted", "revoked", "expired"]), expiresAt: time })
  .openapi("InvitationPreview");
export const Accepted = z.object({ organizationId: z.string().nullable(), artistId: z.string().nullable(), role }).openapi("AcceptedInvitation");

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: time,
    createdBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
    lastUsedAt: time.nullable(),
    revokedAt: time.nullable(),
  })
  .openapi("ApiKey");
export const CreatedApiKey = z.object({ apiKey: ApiKey, secret: z.string().openapi({ description: "`bb_…`: shown once, store it now" }) }).openapi("CreatedApiKey");

export const AuditEntry = z
  .object({
    id: z.string(),
    at: time,
    actor: z.object({ kind: z.enum(["user", "api_key", "system"]), userId: z.string().optional(), name: z.string().optional(), apiKeyId: z.string().optional(), apiKeyName: z.string().optional(), pseudonym: z.string().optional().openapi({ description: "`deleted-user-…`: the acting user deleted their account" }) }),
    sessionId: z.string().nullable(),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    summary: z.string(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi("AuditEntry");

export const Artist = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    imageUrl: z.string().nullable(),
    spotifyArtistId: z.string().nullable(),
    organizationId: z.string().nullable(),
    role,
    hubTheme: z.string(),
    hubDescription: z.string().nullable(),
    hubPublished: z.boolean(),
    publicUrl: z.string(),
    createdAt: time,
    updatedAt: time,
    smartLinkCount: z.number().int(),
  })
  .openapi("Artist");

const service = z.object({ service: z.string(), url: z.string(), hidden: z.boolean() });
const pixels = z.object({ meta: z.string().optional(), google: z.string().optional(), tiktok: z.string().optional(), reddit: z.string().optional() });
export const SmartLink = z
  .object({
    id: z.string(),
    artistId: z.string(),
    slug: z.string(),
    title: z.string(),
    releaseType: z.string(),
    releaseDate: z.string().nullable(),
    artworkUrl: z.string().nullable(),
    releaseArtists: z.array(z.object({ spotifyId: z.string(), name: z.string() })),
    services: z.array(service),
    theme: z.string(),
    pixels,
    description: z.string().nullable(),
    published: z.boolean(),
    publicUrl: z.string(),
    createdAt: time,
    updatedAt: time,
  })
  .openapi("SmartLink");

// Inputs: shapes for the document; values are checked by the verbs (field-named errors).
export const NameInput = z.object({ name: z.string().openapi({ example: "Nova Records" }) });
export const RoleInput = z.object({ role });
export const InvitationInput = z.object({ email: z.string().openapi({ format: "email" }), role });
export const ApiKeyInput = z.object({ name: z.string(), scopes: z.array(z.enum(API_SCOPES)) });
export const ArtistInput = z.object({ spotifyUrl: z.string().openapi({ example: "https://open.spotify.com/artist/4tZwfgrHOc3mvqYlEYSvVi" }), organizationId: z.string().optional() });
export const ArtistPatch = z.object({
  hubTheme: z.enum(THEMES).optional(),
  hubDescription: z.string().nullable().optional(),
  hubPublished: z.boolean().optional(),
  expectedUpdatedAt: time.optional().openapi({ description: "`updatedAt` you saw; stale → 409" }),
});
export const SmartLinkInput = z.object({ spotifyUrl: z.string().openapi({ example: "https://open.spotify.com/album/2noRn2Aes5aoNVsU6iWThc" }) });
export const SmartLinkPatch = z.object({
  services: z.array(z.object({ service: z.string(), url: z.string(), hidden: z.boolean().optional() })).optional(),
  theme: z.enum(THEMES).optional(),
  pixels: pixels.optional(),
  description: z.string().nullable().optional(),
  published: z.boolean().optional(),
  expectedUpdatedAt: time.optional().openapi({ description: "`updatedAt` you saw; stale → 409" }),
});
export const PreviewInput = z.object({
  services: z.array(z.object({ service: z.string(), url: z.string(), hidden: z.boolean().optional() })).optional(),
  theme: z.enum(THEMES).optional(),
  description: z.string().nullable().optional(),
});
export const Themes = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) }).openapi("Themes");
export const Services = z.object({ data: z.array(z.object({ id: z.string(), name: z.string(), hosts: z.array(z.string()) })) }).openapi("Services");
