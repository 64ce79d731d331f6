/**
 * The dashboard's one door to the network: same-origin `fetch` with the session cookie,
 * JSON in and out, errors turned into `ApiError`.
 *
 * Understands both error bodies the server sends: Backbeat's envelope
 * `{ error: { code, message, requestId, details?: [{ field, message }] } }` and Better
 * Auth's `{ code?, message }` (under `/auth/*`).
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly requestId?: string,
    /** Seconds from `Retry-After` on 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The API's message for one input field (e.g. `services.2.url`), if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field || d.field === field.replace(/\.(\d+)(?=\.|$)/g, "[$1]"))?.message;
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  /** Adds an `Idempotency-Key` (creates): a retry of the same call reuses the key. */
  idempotencyKey?: string;
  /** How to read a 2xx body. */
  as?: "json" | "text";
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: "The request was not accepted.",
  401: "Your session has ended. Please sign in again.",
  403: "You don't have permission to do that.",
  404: "Not found. It may have been removed, or you may not have access to it.",
  409: "This conflicts with a change made elsewhere.",
  429: "Too many requests. Please wait a moment and try again.",
};

/**
 * Calls `path` (same origin, e.g. `/api/v1/me`) and returns status, headers and the parsed
 * body (`undefined` for 204).
 * Errors: `ApiError` with the server's code and message; status 0 / code `NETWORK` when
 * the server is unreachable.
 */
export async function requestApi<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: options.as === "text" ? "text/html" : "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      credentials: "include",
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "NETWORK", "Backbeat could not be reached. Check your connection and try again.");
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return { status: res.status, headers: res.headers, data: undefined as T };
  const data = (options.as === "text" ? await res.text() : await res.json()) as T;
  return { status: res.status, headers: res.headers, data };
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's page, an empty body): the status says enough.
  }
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
  const code = typeof envelope.code === "string" ? envelope.code : `HTTP_${res.status}`;
  const retryAfter = Number(res.headers.get("retry-after")) || undefined;
  let message = typeof envelope.message === "string" && envelope.message ? envelope.message : (STATUS_MESSAGES[res.status] ?? `Request failed (HTTP ${res.status}).`);
  if (res.status === 429 && retryAfter) message = `Too many requests. Try again in ${retryAfter} s.`;
  const details = Array.isArray(envelope.details)
    ? envelope.details.filter((d): d is FieldError => isRecord(d) && typeof d.field === "string" && typeof d.message === "string")
    : [];
  const requestId = typeof envelope.requestId === "string" ? envelope.requestId : undefined;
  return new ApiError(res.status, code, message, details, requestId, retryAfter);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
