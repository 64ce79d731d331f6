import type { z } from "zod";
import { ProviderError, type ProviderErrorKind } from "../provider-error";
import type { Logger } from "../logger";
import { computeBackoffMs, parseRetryAfterMs } from "./backoff";
import { collectRequestSecrets, redactSecrets } from "./redact";

/**
 * The base HTTP client every vendor client builds on (PRODUCT.md §4 "small typed HTTP
 * clients"). One `request()` that:
 *
 * - joins `path` to `baseUrl`, sends query / JSON / form bodies with one `fetch` call (no
 *   wrapper library: one Request per attempt, bodies passed as strings — this client sits
 *   on every provider call, e.g. two per fan in fan sync, so its per-call CPU matters);
 * - aborts after `timeoutMs` (per request, default 10 s);
 * - retries idempotent requests (GET/PUT/DELETE by default) after a 5xx, 408, timeout or
 *   network error with capped exponential backoff + full jitter;
 * - on 429 waits `Retry-After` when it is ≤ `maxRetryAfterMs` (any method: a 429 was not
 *   processed), otherwise raises `ProviderError` kind `rate_limited` with `retryAfterMs`;
 * - validates 2xx bodies with the request's zod schema (`invalid_response` when it fails);
 * - maps every failure to the one `ProviderError`; a 5xx / timeout / network failure is
 *   always `unavailable`, whatever the vendor classifier says;
 * - never puts a credential in an error or log line: `Authorization` values, secret form
 *   fields and `secrets` are scrubbed from messages; queries are left out of messages.
 *
 * `fetch`, `sleep`, `random` and `now` are injectable for tests.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | null | undefined;

/** A non-2xx answer, handed to the vendor classifier. */
export interface HttpFailure {
  status: number;
  method: HttpMethod;
  /** Request path without query string. */
  path: string;
  /** Parsed JSON body, the raw text when not JSON, `undefined` when empty. */
  body: unknown;
}

export interface FailureClassification {
  kind: ProviderErrorKind;
  /** Short vendor detail for the message (scrubbed before use). */
  detail?: string;
  /** Structured, secret-free vendor detail kept on the error (`ProviderError.details`), e.g. per-item batch failures. */
  details?: unknown;
}

export interface HttpClientOptions {
  /** Name used in errors and logs, e.g. `spotify`. */
  provider: string;
  /** Absolute base URL; request paths are appended to it. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Waits `ms` milliseconds; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); drives backoff jitter. */
  random?: () => number;
  /** Current time in Unix ms, for `Retry-After` HTTP-dates. */
  now?: () => number;
  logger?: Logger;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Extra attempts after the first (default 2). */
  retries?: number;
  /** Backoff base in ms (default 250). */
  backoffBaseMs?: number;
  /** Backoff cap in ms (default 4 000). */
  backoffMaxMs?: number;
  /** Longest `Retry-After` we sleep through in ms (default 5 000); longer → `rate_limited`. */
  maxRetryAfterMs?: number;
  /** Values scrubbed from every message of this client (e.g. a client secret). */
  secrets?: readonly string[];
  /** Vendor mapping of a 4xx answer (not 429) to a kind; `undefined` → by status. */
  classify?: (failure: HttpFailure) => FailureClassification | undefined;
}

export interface HttpRequest<S extends z.ZodType> {
  method: HttpMethod;
  /** Path below `baseUrl`, e.g. `/tracks/123`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body. */
  json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Schema for the 2xx body (`z.unknown()` when the body is ignored). */
  schema: S;
  /** Whether a retry after an ambiguous failure (5xx, timeout) is safe. Default: not POST/PATCH. */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Values scrubbed from messages for this request (Authorization and secret form fields are added automatically). */
  secrets?: readonly string[];
}

export interface HttpClient {
  readonly provider: string;
  request<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Kind for a status when the vendor classifier has nothing better. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return "rate_limited";
  if (status >= 500 || status === 408) return "unavailable";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  return "bad_request";
}

/** A short human detail from common error body shapes (OAuth, `{error:{message}}`, `{message}`, text). */
export function describeBody(body: unknown): string | undefined {
  let text: string | undefined;
  if (typeof body === "string") text = body;
  else if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const err = b.error;
    if (err && typeof err === "object" && typeof (err as Record<string, unknown>).message === "string") {
      text = (err as Record<string, unknown>).message as string;
    } else if (typeof err === "string") {
      text = typeof b.error_description === "string" ? `${err}: ${b.error_description}` : err;
    } else if (typeof b.message === "string") text = b.message;
  }
  const trimmed = text?.replace(/\s+/g, " ").trim();
  // Not cut here: callers scrub secrets first, then cut (a cut first could leave half a token).
  return trimmed || undefined;
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isIdempotent(method: HttpMethod, explicit: boolean | undefined): boolean {
  return explicit ?? (method !== "POST" && method !== "PATCH");
}

function searchParamsOf(query: Record<string, QueryValue> | undefined): URLSearchParams | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(key, String(value));
  }
  return params;
}

/** Raised by the per-attempt timer (kept apart from errors thrown by `fetch` itself). */
class AttemptTimeout extends Error {}

/** `baseUrl` + `/` + `path` (leading slashes of `path` dropped) + `?query` when any. */
function joinUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const url = `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  const params = searchParamsOf(query)?.toString();
  return params ? `${url}?${params}` : url;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const backoffBaseMs = options.backoffBaseMs ?? 250;
  const backoffMaxMs = options.backoffMaxMs ?? 4_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 5_000;
  const logger = options.logger;

  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);

  /** One attempt: `fetch` raced against the timeout (which also aborts it). */
  async function send(req: HttpRequest<z.ZodType>): Promise<Response> {
    const headers: Record<string, string> = { ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["content-type"] ??= "application/json";
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded;charset=UTF-8";
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new AttemptTimeout("timeout"));
        controller.abort();
      }, req.timeoutMs ?? timeoutMs);
    });
    try {
      return await Promise.race([
        fetchImpl(joinUrl(options.baseUrl, req.path, req.query), { method: req.method, headers, signal: controller.signal, ...(body === undefined ? {} : { body }) }),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function request<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>> {
    const secrets = [...(options.secrets ?? []), ...(req.secrets ?? []), ...collectRequestSecrets(req)];
    const label = `${req.method} ${req.path}`;
    const scrub = (text: string): string => redactSecrets(text, secrets);
    const fail = (init: { kind: ProviderErrorKind; detail?: string | undefined; status?: number; retryAfterMs?: number; cause?: unknown; details?: unknown }): ProviderError => {
      const statusPart = init.status === undefined ? "" : ` → ${init.status}`;
      const detailPart = init.detail ? `: ${scrub(init.detail).slice(0, 200)}` : "";
      return new ProviderError({
        provider,
        kind: init.kind,
        message: scrub(`${label}${statusPart}${detailPart}`),
        ...(init.status === undefined ? {} : { status: init.status }),
        ...(init.retryAfterMs === undefined ? {} : { retryAfterMs: init.retryAfterMs }),
        ...(init.cause === undefined ? {} : { cause: init.cause }),
        ...(init.details === undefined ? {} : { details: init.details }),
      });
    };
    const idempotent = isIdempotent(req.method, req.idempotent);
    const backoff = (attempt: number): number => computeBackoffMs({ attempt, baseMs: backoffBaseMs, maxMs: backoffMaxMs, random });
    const wait = async (attempt: number, ms: number, reason: string): Promise<void> => {
      logger?.warn({ provider, request: label, attempt: attempt + 1, delayMs: ms, reason }, "provider call failed, retrying");
      await sleep(ms);
    };

    let response: Response;
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < retries;
      try {
        response = await send(req);
      } catch (error) {
        const timedOut = error instanceof AttemptTimeout;
        const reason = timedOut ? "timeout" : "network error";
        if (idempotent && canRetry) {
          await wait(attempt, backoff(attempt), reason);
          continue;
        }
        // The cause keeps only a scrubbed message: low-level errors can carry request details.
        const original = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw fail({ kind: "unavailable", detail: reason, cause: new Error(scrub(original)) });
      }

      if (response.status === 429) {
        const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), now());
        const delay = retryAfterMs ?? backoff(attempt);
        if (canRetry && delay <= maxRetryAfterMs) {
          await response.body?.cancel();
          await wait(attempt, delay, "429");
          continue;
        }
        const body = parseBody(await response.text());
        throw fail({ kind: "rate_limited", status: 429, detail: describeBody(body), retryAfterMs: retryAfterMs ?? delay });
      }

      if ((response.status >= 500 || response.status === 408) && idempotent && canRetry) {
        await response.body?.cancel();
        await wait(attempt, backoff(attempt), `status ${response.status}`);
        continue;
      }
      break;
    }

    const body = parseBody(await response.text());
    if (!response.ok) {
      const status = response.status;
      const byStatus = kindForStatus(status);
      // A 5xx or 408 never says anything about consent or input: keep it `unavailable`.
      const classified = byStatus === "unavailable" ? undefined : options.classify?.({ status, method: req.method, path: req.path, body });
      const error = fail({ kind: classified?.kind ?? byStatus, status, detail: classified?.detail ?? describeBody(body), details: classified?.details });
      logger?.debug({ provider, request: label, status, kind: error.kind }, "provider call failed");
      throw error;
    }

    const parsed = req.schema.safeParse(body);
    if (!parsed.success) {
      // Issue paths and codes only: values could be tokens.
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"} ${i.code}`)
        .join(", ");
      throw fail({ kind: "invalid_response", status: response.status, detail: `unexpected body (${issues})` });
    }
    return parsed.data as z.output<S>;
  }

  return { provider, request };
}
