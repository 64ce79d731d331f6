import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { acceptInvitation, getInvitation, getMe, updateMe } from "../modules/accounts/index";
import type { ApiEnv } from "./api-env";
import { Accepted, InvitationPreview, Me, NameInput, User } from "./api-schemas";
import { defineApiRoute, sendJson } from "./define-api-route";

/** `/me` and `/invitations/{token}` (the signed-in user's own things). */
export function meRoutes(api: OpenAPIHono<ApiEnv>): void {
  defineApiRoute(api, { method: "get", path: "/me", tag: "Me", summary: "You, your organizations and every artist you can see", ok: { status: 200, description: "You", schema: Me } }, async (c) =>
    sendJson(c, 200, await getMe({ ctx: c.get("ctx") })),
  );
  defineApiRoute(api, { method: "patch", path: "/me", tag: "Me", summary: "Change your name", body: NameInput, ok: { status: 200, description: "Updated", schema: z.object({ user: User }).openapi("UserEnvelope") } }, async (c) =>
    sendJson(c, 200, { user: await updateMe({ ctx: c.get("ctx"), input: (await c.req.json()) as { name: unknown } }) }),
  );
  defineApiRoute(api, { method: "get", path: "/invitations/{token}", tag: "Me", summary: "What an invitation link offers (signed in)", ok: { status: 200, description: "The invitation", schema: InvitationPreview } }, async (c) =>
    sendJson(c, 200, await getInvitation({ ctx: c.get("ctx"), input: { token: c.req.param("token")! } })),
  );
  defineApiRoute(api, { method: "post", path: "/invitations/{token}/accept", tag: "Me", summary: "Accept (your e-mail must be the invited one)", ok: { status: 200, description: "Joined", schema: Accepted } }, async (c) =>
    sendJson(c, 200, await acceptInvitation({ ctx: c.get("ctx"), input: { token: c.req.param("token")! } })),
  );
}
