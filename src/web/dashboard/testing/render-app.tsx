import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { App } from "../app";

/** Renders the whole dashboard at `path` (e.g. `/app/artists/art_pit`), with no query retries. */
export function renderApp(path: string) {
  window.history.replaceState(null, "", path);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } });
  return { queryClient, ...render(<App queryClient={queryClient} />) };
}
