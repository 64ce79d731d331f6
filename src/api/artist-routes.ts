import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { badRequest } from "../lib/errors";
import {
  changeMemberRole,
  createArtist,
  createArtistSmartLink,
  createInvitation,
  getArtist,
  listArtists,
  listArtistSmartLinks,
  listAuditLog,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
  updateArtist,
} from "../modules/accounts/index";
import type { ApiEnv } from "./api-env";
import { Artist, ArtistInput, ArtistPatch, AuditEntry, Invitation, InvitationInput, Member, page, PageQuery, RoleInput, SmartLink, SmartLinkInput } from "./api-schemas";
import { defineApiRoute, sendJson } from "./define-api-route";
import { readPageQuery } from "./read-page-query";

const TAG = "Artists";

/** `/artists/…`: artists, hub settings, direct members, artist invitations, smart links of an artist. */
export function artistRoutes(api: OpenAPIHono<ApiEnv>): void {
  const ArtistQuery = PageQuery.extend({
    organizationId: z.string().optional().openapi({ param: { name: "organizationId", in: "query" } }),
    q: z.string().optional().openapi({ param: { name: "q", in: "query" }, description: "Text in the artist's name" }),
  });
  defineApiRoute(api, { method: "get", path: "/artists", tag: TAG, summary: "Every artist you can see, with your effective role", query: ArtistQuery, ok: { status: 200, description: "A page", schema: page(Artist, "ArtistPage") } }, async (c) =>
    sendJson(c, 200, await listArtists({ ctx: c.get("ctx"), input: { ...readPageQuery(c), organizationId: c.req.query("organizationId") || undefined, q: c.req.query("q") || undefined } })),
  );
  defineApiRoute(
    api,
    { method: "post", path: "/artists", tag: TAG, summary: "Add an artist from a Spotify artist URL (imports the catalog)", description: "In `organizationId` (its editors and admins) or owned by you (you become the artist's admin). 409 when that Spotify artist is already in Backbeat.", body: ArtistInput, idempotent: true, ok: { status: 201, description: "Created; the catalog import is queued", schema: Artist } },
    async (c) => {
      const body = (await c.req.json()) as { spotifyUrl?: unknown; organizationId?: unknown };
      const { artist } = await createArtist({ ctx: c.get("ctx"), input: { spotifyUrl: body.spotifyUrl, ...(body.organizationId !== undefined ? { organizationId: body.organizationId } : {}) } });
      return sendJson(c, 201, artist);
    },
  );
  defineApiRoute(api, { method: "get", path: "/artists/{artistId}", tag: TAG, summary: "One artist", ok: { status: 200, description: "The artist", schema: Artist } }, async (c) =>
    sendJson(c, 200, await getArtist({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")! } })),
  );
  defineApiRoute(api, { method: "patch", path: "/artists/{artistId}", tag: TAG, summary: "Artist hub settings (editor+)", body: ArtistPatch, ok: { status: 200, description: "Updated", schema: Artist } }, async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    return sendJson(c, 200, await updateArtist({ ctx: c.get("ctx"), input: { ...(body as object), artistId: c.req.param("artistId")! } }));
  });

  defineApiRoute(api, { method: "get", path: "/artists/{artistId}/members", tag: TAG, summary: "Direct artist grants, then organization members (`via`)", query: PageQuery, ok: { status: 200, description: "A page", schema: page(Member, "ArtistMemberPage") } }, async (c) =>
    sendJson(c, 200, await listMembers({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, ...readPageQuery(c) } })),
  );
  defineApiRoute(api, { method: "patch", path: "/artists/{artistId}/members/{userId}", tag: TAG, summary: "Change a direct grant's role (artist admin)", body: RoleInput, ok: { status: 200, description: "Updated member", schema: Member } }, async (c) => {
    const body = (await c.req.json()) as { role?: unknown };
    return sendJson(c, 200, await changeMemberRole({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, userId: c.req.param("userId")!, role: body.role } }));
  });
  defineApiRoute(api, { method: "delete", path: "/artists/{artistId}/members/{userId}", tag: TAG, summary: "Remove a direct grant (artist admin), or leave", ok: { status: 204, description: "Removed" } }, async (c) => {
    await removeMember({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, userId: c.req.param("userId")! } });
    return c.body(null, 204);
  });
  defineApiRoute(api, { method: "get", path: "/artists/{artistId}/invitations", tag: TAG, summary: "Artist invitations (artist admin)", query: PageQuery, ok: { status: 200, description: "A page", schema: page(Invitation, "ArtistInvitationPage") } }, async (c) =>
    sendJson(c, 200, await listInvitations({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, ...readPageQuery(c) } })),
  );
  defineApiRoute(api, { method: "post", path: "/artists/{artistId}/invitations", tag: TAG, summary: "Invite by e-mail to this artist (artist admin)", body: InvitationInput, idempotent: true, ok: { status: 201, description: "Invited", schema: Invitation } }, async (c) => {
    const body = (await c.req.json()) as { email?: unknown; role?: unknown };
    const { invitation } = await createInvitation({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, email: body.email, role: body.role } });
    return sendJson(c, 201, invitation);
  });
  defineApiRoute(api, { method: "delete", path: "/artists/{artistId}/invitations/{invitationId}", tag: TAG, summary: "Revoke an artist invitation (artist admin)", ok: { status: 204, description: "Revoked" } }, async (c) => {
    await revokeInvitation({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, invitationId: c.req.param("invitationId")! } });
    return c.body(null, 204);
  });
  defineApiRoute(api, { method: "get", path: "/artists/{artistId}/audit-log", tag: TAG, summary: "Audit log of the artist (artist admin, signed in)", query: PageQuery, ok: { status: 200, description: "A page, newest first", schema: page(AuditEntry, "ArtistAuditEntryPage") } }, async (c) =>
    sendJson(c, 200, await listAuditLog({ ctx: c.get("ctx"), input: { scope: { artistId: c.req.param("artistId")! }, ...readPageQuery(c) } })),
  );

  const LinkQuery = PageQuery.extend({
    q: z.string().optional().openapi({ param: { name: "q", in: "query" }, description: "Text in the title" }),
    published: z.enum(["true", "false"]).optional().openapi({ param: { name: "published", in: "query" } }),
    releaseType: z.enum(["album", "single", "compilation"]).optional().openapi({ param: { name: "releaseType", in: "query" } }),
  });
  defineApiRoute(api, { method: "get", path: "/artists/{artistId}/smart-links", tag: "Smart links", summary: "An artist's smart links, newest first", query: LinkQuery, ok: { status: 200, description: "A page", schema: page(SmartLink, "SmartLinkPage") } }, async (c) => {
    const published = c.req.query("published");
    if (published !== undefined && published !== "true" && published !== "false") throw badRequest("published", "must be true or false");
    return sendJson(c, 200, await listArtistSmartLinks({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")!, ...readPageQuery(c), q: c.req.query("q"), published: published === undefined ? undefined : published === "true", releaseType: c.req.query("releaseType") } }));
  });
  defineApiRoute(
    api,
    { method: "post", path: "/artists/{artistId}/smart-links", tag: "Smart links", summary: "Create a smart link from a Spotify track or album URL (editor+)", body: SmartLinkInput, idempotent: true, ok: { status: 201, description: "Created", schema: SmartLink }, alsoOk: { status: 200, description: "That release already has a link (header `Backbeat-Result: existing`)", schema: SmartLink } },
    async (c) => {
      const body = (await c.req.json()) as { spotifyUrl?: unknown };
      const { link, status } = await createArtistSmartLink({ ctx: c.get("ctx"), input: { artistId: c.req.param("artistId")!, spotifyUrl: body.spotifyUrl } });
      c.header("Backbeat-Result", status);
      return sendJson(c, status === "created" ? 201 : 200, link);
    },
  );
}
