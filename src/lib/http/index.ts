export {
  createHttpClient,
  describeBody,
  kindForStatus,
  type FailureClassification,
  type HttpClient,
  type HttpClientOptions,
  type HttpFailure,
  type HttpMethod,
  type HttpRequest,
  type QueryValue,
} from "./create-http-client";
export { computeBackoffMs, parseRetryAfterMs } from "./backoff";
export { collectRequestSecrets, redactSecrets, REDACTED, SECRET_FIELDS } from "./redact";
