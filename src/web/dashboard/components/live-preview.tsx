import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { requestApi } from "../lib/request-api";
import type { LinkService } from "../lib/types";
import { useDebouncedValue } from "../lib/use-debounced-value";
import { ErrorMessage } from "./error-message";
import { Loading } from "./loading";

export interface PreviewInput {
  services: LinkService[];
  theme: string;
  description: string;
}

/**
 * The public page as it would look with the unsaved changes: `POST
 * /api/v1/smart-links/{id}/preview` (debounced 400 ms) rendered into a sandboxed iframe
 * `srcdoc` — no scripts, no navigation of the dashboard, same CSP as the dashboard.
 */
export function LivePreview({ linkId, input, title }: { linkId: string; input: PreviewInput; title: string }) {
  const debounced = useDebouncedValue(input, 400);
  const preview = useQuery({
    queryKey: ["preview", linkId, debounced],
    queryFn: async ({ signal }) =>
      (await requestApi<string>(`/api/v1/smart-links/${encodeURIComponent(linkId)}/preview`, { method: "POST", body: debounced, as: "text", signal })).data,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  if (preview.isPending) return <Loading label="Rendering the preview…" />;
  if (preview.isError) return <ErrorMessage error={preview.error} onRetry={() => void preview.refetch()} title="Could not render the preview" />;
  return (
    <div className="preview-frame" aria-busy={preview.isFetching}>
      <iframe title={`Preview of ${title}`} srcDoc={preview.data} sandbox="allow-same-origin" referrerPolicy="no-referrer" />
    </div>
  );
}
