import type { QueryClient } from "@tanstack/react-query";
import { requestApi } from "./request-api";
import { SESSION_KEY } from "./use-session";

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
  // The session's observers stay subscribed (the sign-in page follows); everything else goes.
  queryClient.setQueryData(SESSION_KEY, null);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
}
