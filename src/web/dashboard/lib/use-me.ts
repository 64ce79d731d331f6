import { useQuery } from "@tanstack/react-query";
import { requestApi } from "./request-api";
import type { Me } from "./types";

export const ME_KEY = ["me"] as const;

/** The user, their organizations and every artist they can see (`GET /api/v1/me`). */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: async () => (await requestApi<Me>("/api/v1/me")).data, staleTime: 30_000 });
}
