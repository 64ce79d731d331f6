import { render } from "@testing-library/react";
import { App } from "../app";
import { createQueryClient } from "../lib/create-query-client";

/** Renders the whole dashboard at `path` (e.g. `/app/artists/art_pit`), with no query retries. */
export function renderApp(path: string) {
  window.history.replaceState(null, "", path);
  const queryClient = createQueryClient({ retries: false });
  return { queryClient, ...render(<App queryClient={queryClient} />) };
}
