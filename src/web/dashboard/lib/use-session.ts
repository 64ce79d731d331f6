import { useQuery } from "@tanstack/react-query";
import { requestApi } from "./request-api";
import type { Session } from "./types";

export const SESSION_KEY = ["session"] as const;

/** The signed-in session (`GET /auth/get-session`), `null` when signed out. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => (await requestApi<Session | null>("/auth/get-session")).data ?? null,
    staleTime: 60_000,
  });
}
