import { ApiError } from "../lib/request-api";

/**
 * An error from the API (or anything thrown), announced to screen readers, with the
 * request id for support and an optional "Try again".
 */
export function ErrorMessage({ error, onRetry, title = "Something went wrong" }: { error: unknown; onRetry?: () => void; title?: string }) {
  const message = error instanceof Error ? error.message : "Unexpected error.";
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{title}.</strong> {message}
        {requestId ? <span className="muted"> (request {requestId})</span> : null}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
