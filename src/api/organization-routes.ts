import type { OpenAPIHono } from "@hono/zod-openapi";

import {
  changeMemberRole,
  createApiKey,
  createInvitation,
  createOrganization,
  getOrganization,
  listApiKeys,
  listAuditLog,
  listInvitations,
  listMembers,
  listOrganizations,
  removeMember,
  revokeApiKey,
  revokeInvitation,
  updateOrganization,
} from "../modules/accounts/index";
import type { ApiEnv } from "./api-env";
import { ApiKey, ApiKeyInput, AuditEntry, CreatedApiKey, Invitation, InvitationInput, Member, NameInput, Organization, page, PageQuery, RoleInput } from "./api-schemas";
import { defineApiRoute, sendJson } from "./define-api-route";
import { readPageQuery } from "./read-page-query";

const TAG = "Organizations";

/** `/organizations/…`: organizations, members, invitations, API keys, audit log. */
export function organizationRoutes(api: OpenAPIHono<ApiEnv>): void {
  defineApiRoute(api, { method: "get", path: "/organizations", tag: TAG, summary: "Organizations you belong to", query: PageQuery, ok: { status: 200, description: "A page", schema: page(Organization, "OrganizationPage") } }, async (c) =>
    sendJson(c, 200, await listOrganizations({ ctx: c.get("ctx"), input: readPageQuery(c) })),
  );
  defineApiRoute(api, { method: "post", path: "/organizations", tag: TAG, summary: "Create an organization (you become its admin)", body: NameInput, idempotent: true, ok: { status: 201, description: "Created", schema: Organization } }, async (c) =>
    sendJson(c, 201, await createOrganization({ ctx: c.get("ctx"), input: await c.req.json() })),
  );
  defineApiRoute(api, { method: "get", path: "/organizations/{organizationId}", tag: TAG, summary: "One organization", ok: { status: 200, description: "The organization", schema: Organization } }, async (c) =>
    sendJson(c, 200, await getOrganization({ ctx: c.get("ctx"), input: { organizationId: c.req.param("organizationId")! } })),
  );
  defineApiRoute(api, { method: "patch", path: "/organizations/{organizationId}", tag: TAG, summary: "Rename (admin)", body: NameInput, ok: { status: 200, description: "Updated", schema: Organization } }, async (c) => {
    const body = (await c.req.json()) as { name?: unknown };
    return sendJson(c, 200, await updateOrganization({ ctx: c.get("ctx"), input: { organizationId: c.req.param("organizationId")!, name: body.name } }));
  });

  defineApiRoute(api, { method: "get", path: "/organizations/{organizationId}/members", tag: TAG, summary: "Members", query: PageQuery, ok: { status: 200, description: "A page", schema: page(Member, "MemberPage") } }, async (c) =>
    sendJson(c, 200, await listMembers({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, ...readPageQuery(c) } })),
  );
  defineApiRoute(api, { method: "patch", path: "/organizations/{organizationId}/members/{userId}", tag: TAG, summary: "Change a member's role (admin; never the last admin's)", body: RoleInput, ok: { status: 200, description: "Updated member", schema: Member } }, async (c) => {
    const body = (await c.req.json()) as { role?: unknown };
    return sendJson(c, 200, await changeMemberRole({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, userId: c.req.param("userId")!, role: body.role } }));
  });
  defineApiRoute(api, { method: "delete", path: "/organizations/{organizationId}/members/{userId}", tag: TAG, summary: "Remove a member (admin), or leave (yourself); never the last admin", ok: { status: 204, description: "Removed" } }, async (c) => {
    await removeMember({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, userId: c.req.param("userId")! } });
    return c.body(null, 204);
  });

  defineApiRoute(api, { method: "get", path: "/organizations/{organizationId}/invitations", tag: TAG, summary: "Invitations (admin)", query: PageQuery, ok: { status: 200, description: "A page", schema: page(Invitation, "InvitationPage") } }, async (c) =>
    sendJson(c, 200, await listInvitations({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, ...readPageQuery(c) } })),
  );
  defineApiRoute(api, { method: "post", path: "/organizations/{organizationId}/invitations", tag: TAG, summary: "Invite by e-mail (admin); the link expires in 7 days", body: InvitationInput, idempotent: true, ok: { status: 201, description: "Invited", schema: Invitation } }, async (c) => {
    const body = (await c.req.json()) as { email?: unknown; role?: unknown };
    const { invitation } = await createInvitation({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, email: body.email, role: body.role } });
    return sendJson(c, 201, invitation);
  });
  defineApiRoute(api, { method: "delete", path: "/organizations/{organizationId}/invitations/{invitationId}", tag: TAG, summary: "Revoke an invitation (admin)", ok: { status: 204, description: "Revoked" } }, async (c) => {
    await revokeInvitation({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, invitationId: c.req.param("invitationId")! } });
    return c.body(null, 204);
  });

  defineApiRoute(api, { method: "get", path: "/organizations/{organizationId}/api-keys", tag: TAG, summary: "API keys (admin, signed in)", query: PageQuery, ok: { status: 200, description: "A page", schema: page(ApiKey, "ApiKeyPage") } }, async (c) =>
    sendJson(c, 200, await listApiKeys({ ctx: c.get("ctx"), input: { organizationId: c.req.param("organizationId")!, ...readPageQuery(c) } })),
  );
  defineApiRoute(api, { method: "post", path: "/organizations/{organizationId}/api-keys", tag: TAG, summary: "Create an API key (admin, signed in); the secret is shown once", description: "An `Idempotency-Key` retry never shows the secret again (it is not stored): it answers 409 naming the created key.", body: ApiKeyInput, idempotent: { secret: "secret", resource: "apiKey" }, ok: { status: 201, description: "Created", schema: CreatedApiKey } }, async (c) => {
    const body = (await c.req.json()) as { name?: unknown; scopes?: unknown };
    return sendJson(c, 201, await createApiKey({ ctx: c.get("ctx"), input: { organizationId: c.req.param("organizationId")!, name: body.name, scopes: body.scopes } }));
  });
  defineApiRoute(api, { method: "delete", path: "/organizations/{organizationId}/api-keys/{keyId}", tag: TAG, summary: "Revoke an API key (admin); refused from its next request", ok: { status: 204, description: "Revoked" } }, async (c) => {
    await revokeApiKey({ ctx: c.get("ctx"), input: { organizationId: c.req.param("organizationId")!, apiKeyId: c.req.param("keyId")! } });
    return c.body(null, 204);
  });

  defineApiRoute(api, { method: "get", path: "/organizations/{organizationId}/audit-log", tag: TAG, summary: "Audit log (admin, signed in)", query: PageQuery, ok: { status: 200, description: "A page, newest first", schema: page(AuditEntry, "AuditEntryPage") } }, async (c) =>
    sendJson(c, 200, await listAuditLog({ ctx: c.get("ctx"), input: { scope: { organizationId: c.req.param("organizationId")! }, ...readPageQuery(c) } })),
  );
}

