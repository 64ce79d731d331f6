import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { editSmartLink, getSmartLink, previewSmartLink } from "../modules/accounts/index";
import { SERVICE_HOST_PATTERNS, STREAMING_SERVICES, THEMES } from "../modules/play/index";
import type { ApiEnv } from "./api-env";
import { PreviewInput, Services, SmartLink, SmartLinkPatch, Themes } from "./api-schemas";
import { defineApiRoute, sendJson } from "./define-api-route";

const TAG = "Smart links";
const THEME_NAMES: Record<(typeof THEMES)[number], string> = { classic: "Classic", brutalist: "Brutalist", aurora: "Aurora", cinematic: "Cinematic" };

/** `/smart-links/…`, `/themes`, `/services`. */
export function smartLinkRoutes(api: OpenAPIHono<ApiEnv>): void {
  defineApiRoute(api, { method: "get", path: "/smart-links/{linkId}", tag: TAG, summary: "One smart link", ok: { status: 200, description: "The link", schema: SmartLink } }, async (c) =>
    sendJson(c, 200, await getSmartLink({ ctx: c.get("ctx"), input: { linkId: c.req.param("linkId")! } })),
  );
  defineApiRoute(api, { method: "patch", path: "/smart-links/{linkId}", tag: TAG, summary: "Edit services, theme, pixels, description, publish state (editor+)", body: SmartLinkPatch, ok: { status: 200, description: "Updated", schema: SmartLink } }, async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    return sendJson(c, 200, await editSmartLink({ ctx: c.get("ctx"), input: { ...(body as object), linkId: c.req.param("linkId")! } }));
  });
  defineApiRoute(api, { method: "post", path: "/smart-links/{linkId}/preview", tag: TAG, summary: "The landing page with unsaved changes (HTML, nothing stored)", body: PreviewInput, ok: { status: 200, description: "HTML document", schema: z.string(), html: true } }, async (c) => {
    const body = (await c.req.json()) as { services?: unknown; theme?: unknown; description?: unknown };
    const html = await previewSmartLink({ ctx: c.get("ctx"), input: { linkId: c.req.param("linkId")!, services: body.services, theme: body.theme, description: body.description } });
    return c.html(html, 200);
  });
  defineApiRoute(api, { method: "get", path: "/themes", tag: TAG, summary: "Landing-page themes", ok: { status: 200, description: "Themes", schema: Themes } }, async (c) =>
    sendJson(c, 200, { data: THEMES.map((id) => ({ id, name: THEME_NAMES[id] })) }),
  );
  defineApiRoute(api, { method: "get", path: "/services", tag: TAG, summary: "Streaming services a link may list, with their allowed hosts", ok: { status: 200, description: "Services", schema: Services } }, async (c) =>
    sendJson(c, 200, { data: Object.entries(STREAMING_SERVICES).map(([id, name]) => ({ id, name, hosts: SERVICE_HOST_PATTERNS[id as keyof typeof STREAMING_SERVICES] })) }),
  );
}
