import type { Ctx } from "../../context";
import { AppError } from "../../lib/errors";
import { exportPlatformUser, type PlatformUserExport } from "./privacy";
import { requireUser } from "./require-user";

/** Version of the export's shape; bumped when a field changes meaning. */
export const MY_DATA_EXPORT_FORMAT = "backbeat.user-export.v1";

export type MyDataExport = { format: typeof MY_DATA_EXPORT_FORMAT; exportedAt: Date; note: string } & PlatformUserExport;

/**
 * Everything Backbeat holds about the signed-in user, machine-readable (P18 access and
 * portability): `exportPlatformUser` plus `format` and `exportedAt` (UTC, `ctx.clock`).
 * Only the caller's own data: the user id comes from the session, never from input.
 * No secrets (password hashes, session tokens, API-key secrets or hashes).
 * @throws AppError UNAUTHORIZED (signed out, or the user is gone), FORBIDDEN (API key).
 */
export async function exportMyData({ ctx }: { ctx: Ctx; input?: undefined }): Promise<MyDataExport> {
  const { userId } = requireUser(ctx);
  const data = await exportPlatformUser({ ctx, input: { userId } });
  if (!data) throw new AppError("UNAUTHORIZED", "sign in first");
  return {
    format: MY_DATA_EXPORT_FORMAT,
    exportedAt: ctx.clock.now(),
    note: "Artists' fan data (smart links, analytics) belongs to the artists' teams and is exported per artist; Backbeat keeps no consent records for Platform users (their restriction / objection choices are under processingChoices).",
    ...data,
  };
}
