import type { OpenAPIHono } from "@hono/zod-openapi";
import { deleteMyAccount, exportMyData, getProcessingChoice, recordProcessingChoice } from "../modules/accounts/index";
import type { ApiEnv } from "./api-env";
import { defineApiRoute, sendJson } from "./define-api-route";
import { AccountDeleted, DeleteAccountInput, MyDataExport, ProcessingChoice, ProcessingChoiceInput } from "./me-rights-schemas";

/** Session cookie names Better Auth sets (`cookiePrefix: "backbeat"`; `__Secure-` on https). */
const SESSION_COOKIES = ["backbeat.session_token", "backbeat.session_data", "__Secure-backbeat.session_token", "__Secure-backbeat.session_data"];

/**
 * P18 platform rights of the signed-in user (cookie session only; API keys get 403):
 * `GET /me/export` (JSON download), `DELETE /me` (typed e-mail confirmation),
 * `GET` / `PUT /me/processing` (restriction / objection). Correction is `PATCH /me`
 * (me-routes.ts). Writes pass the same-origin check like every cookie write.
 */
export function meRightsRoutes(api: OpenAPIHono<ApiEnv>): void {
  defineApiRoute(
    api,
    { method: "get", path: "/me/export", tag: "Me", summary: "Download everything Backbeat holds about you (JSON)", description: "Profile, sign-in methods, sessions, organizations and artist grants, API keys you created (metadata only, never secrets), audit entries you made, restriction / objection history. Sent as an attachment.", ok: { status: 200, description: "Your data", schema: MyDataExport } },
    async (c) => {
      const data = await exportMyData({ ctx: c.get("ctx") });
      const day = data.exportedAt.toISOString().slice(0, 10);
      return c.newResponse(JSON.stringify(data, null, 2), 200, { "Content-Type": "application/json; charset=UTF-8", "Content-Disposition": `attachment; filename="backbeat-my-data-${day}.json"` });
    },
  );
  defineApiRoute(
    api,
    { method: "delete", path: "/me", tag: "Me", summary: "Delete your account", description: "Type your e-mail as `confirmEmail`. Refused (409) while you are the only admin of an organization or artist others use; organizations where you are the only member are deleted with you. Every session ends; audit entries stay, pseudonymized.", body: DeleteAccountInput, ok: { status: 200, description: "Deleted", schema: AccountDeleted } },
    async (c) => {
      const result = await deleteMyAccount({ ctx: c.get("ctx"), input: await c.req.json() });
      const response = sendJson(c, 200, result);
      for (const name of SESSION_COOKIES) {
        response.headers.append("Set-Cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`);
      }
      return response;
    },
  );
  defineApiRoute(api, { method: "get", path: "/me/processing", tag: "Me", summary: "Your restriction / objection to processing", ok: { status: 200, description: "In force, with history", schema: ProcessingChoice } }, async (c) =>
    sendJson(c, 200, await getProcessingChoice({ ctx: c.get("ctx") })),
  );
  defineApiRoute(
    api,
    { method: "put", path: "/me/processing", tag: "Me", summary: "Restrict or object to processing of your data", description: "Append-only: a change adds a dated record, the same choice again adds nothing. Either flag keeps your own activity out of analytics, ad-platform uploads and AI. Both false withdraws.", body: ProcessingChoiceInput, ok: { status: 200, description: "In force, with history", schema: ProcessingChoice } },
    async (c) => {
      const { changed: _changed, ...view } = await recordProcessingChoice({ ctx: c.get("ctx"), input: await c.req.json() });
      return sendJson(c, 200, view);
    },
  );
}
