/**
 * The one tagged error every provider client raises. `retryable` says whether trying
 * the same call again later can succeed; `retryAfterMs` carries a provider's
 * `Retry-After` when it gave one.
 */
export type ProviderErrorKind =
  | "rate_limited" // 429
  | "unavailable" // 5xx, timeout, network
  | "invalid_grant" // refresh/code refused: revoked or expired consent
  | "unauthorized" // 401 on an API call after a refresh
  | "insufficient_scope" // 403 for a missing scope
  | "unregistered_user" // 403: development-mode app, user not on the allow-list
  | "premium_required" // 403 PREMIUM_REQUIRED (player)
  | "no_active_device" // 404 NO_ACTIVE_DEVICE (player)
  | "forbidden" // other 403
  | "not_found" // 404
  | "bad_request" // 400 / other 4xx
  | "invalid_response"; // body did not match the expected shape

export class ProviderError extends Error {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Vendor-parsed, secret-free detail from the classifier (e.g. per-item failures of a batch). */
  readonly details: unknown;

  constructor(init: {
    provider: string;
    kind: ProviderErrorKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
    cause?: unknown;
    details?: unknown;
  }) {
    super(`${init.provider}: ${init.message}`, { cause: init.cause });
    this.name = "ProviderError";
    this.provider = init.provider;
    this.kind = init.kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
    this.retryable = init.kind === "rate_limited" || init.kind === "unavailable";
  }
}

export function isProviderError(err: unknown, kind?: ProviderErrorKind): err is ProviderError {
  return err instanceof ProviderError && (kind === undefined || err.kind === kind);
}
