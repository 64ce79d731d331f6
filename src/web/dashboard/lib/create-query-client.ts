import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./request-api";

/**
 * The dashboard's TanStack Query client: retries only what a retry can fix (network
 * errors and 5xx, twice), never 4xx; no refetch on window focus for pages with forms.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, err) => count < 2 && err instanceof ApiError && (err.status === 0 || err.status >= 500),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
