import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "./request-api";
import { SESSION_KEY } from "./use-session";

/**
 * The dashboard's TanStack Query client: retries only what a retry can fix (network
 * errors and 5xx, twice; `retries: false` for tests), never 4xx; no refetch on window
 * focus for pages with forms. Any 401 from the API means the session ended (expired,
 * revoked elsewhere): the session becomes `null`, which shows the sign-in page.
 */
export function createQueryClient({ retries = true }: { retries?: boolean } = {}): QueryClient {
  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401 && client.getQueryData(SESSION_KEY)) client.setQueryData(SESSION_KEY, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        retry: (count, err) => retries && count < 2 && err instanceof ApiError && (err.status === 0 || err.status >= 500),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
