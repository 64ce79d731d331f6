import { z } from "@hono/zod-openapi";

/* Schemas of the P18 routes (`/me/export`, `DELETE /me`, `/me/processing`); see me-rights-routes.ts. */

const time = z.string().openapi({ format: "date-time", example: "2026-11-29T12:00:00.000Z" });
const nullableTime = time.nullable();

export const ProcessingChoice = z
  .object({
    restrict: z.boolean().openapi({ description: "Restriction of processing in force" }),
    object: z.boolean().openapi({ description: "Objection to processing in force" }),
    recordedAt: nullableTime,
    history: z.array(z.object({ restrict: z.boolean(), object: z.boolean(), recordedAt: time })),
  })
  .openapi("ProcessingChoice");

export const ProcessingChoiceInput = z.object({
  restrict: z.boolean().openapi({ description: "Restrict processing: your own activity is not used for analytics, sent to ad platforms or to AI" }),
  object: z.boolean().openapi({ description: "Object to processing (same effect; both false withdraws)" }),
});

export const DeleteAccountInput = z.object({ confirmEmail: z.string().openapi({ description: "Your account's e-mail address, typed to confirm", format: "email" }) });

export const AccountDeleted = z.object({ deleted: z.literal(true), deletedOrganizationIds: z.array(z.string()).openapi({ description: "Organizations you were the only member of, deleted with you" }) }).openapi("AccountDeleted");

export const MyDataExport = z
  .object({
    format: z.literal("backbeat.user-export.v1"),
    exportedAt: time,
    note: z.string(),
    profile: z.object({ id: z.string(), name: z.string(), email: z.string(), emailVerified: z.boolean(), image: z.string().nullable(), createdAt: time, updatedAt: time }),
    signInMethods: z.array(z.object({ provider: z.string(), providerAccountId: z.string().nullable(), createdAt: time })),
    sessions: z.array(z.object({ id: z.string(), createdAt: time, expiresAt: time, ipAddress: z.string().nullable(), userAgent: z.string().nullable() })),
    organizations: z.array(z.object({ organizationId: z.string(), name: z.string(), role: z.string(), since: time })),
    artistGrants: z.array(z.object({ artistId: z.string(), name: z.string(), role: z.string(), since: time })),
    apiKeysCreated: z.array(z.object({ id: z.string(), organizationId: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()), createdAt: time, lastUsedAt: nullableTime, revokedAt: nullableTime })),
    auditEntries: z.array(
      z.object({ id: z.string(), at: time, organizationId: z.string().nullable(), artistId: z.string().nullable(), sessionId: z.string().nullable(), action: z.string(), resourceType: z.string(), resourceId: z.string(), summary: z.string(), metadata: z.record(z.string(), z.unknown()) }),
    ),
    processingChoices: z.array(z.object({ restrict: z.boolean(), object: z.boolean(), sessionId: z.string().nullable(), recordedAt: time })),
  })
  .openapi("MyDataExport");
