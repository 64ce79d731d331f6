import type { QueryClient } from "@tanstack/react-query";
import { requestApi } from "./request-api";

/**
 * Signs out of this browser (`POST /auth/sign-out`), or of every device first
 * (`POST /auth/revoke-sessions`), then forgets every cached answer so nothing of the
 * account stays on screen. The sign-in page follows from the session becoming `null`.
 */
export async function signOut(queryClient: QueryClient, { everywhere = false } = {}): Promise<void> {
  if (everywhere) await requestApi("/auth/revoke-sessions", { method: "POST", body: {} });
  try {
    await requestApi("/auth/sign-out", { method: "POST", body: {} });
  } catch (err) {
    // After revoking every session this one is gone too: signing out is already done.
    if (!everywhere) throw err;
  }
  queryClient.clear();
  queryClient.setQueryData(["session"], null);
}
