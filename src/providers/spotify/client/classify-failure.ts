import type { FailureClassification, HttpFailure } from "../../../lib/http";
import { accountsErrorSchema, apiErrorSchema } from "./schemas";

/** Longest piece of vendor text quoted in an error message. */
const MAX_QUOTED_TEXT = 200;

/**
 * Vendor text for an error message, whitespace-collapsed and cut to at most 200 characters
 * at a word boundary. The HTTP client scrubs credentials by exact value *after* this, so a
 * cut through the middle of an echoed token would leave a piece of it that nothing scrubs
 * (P02); dropping the partial last word keeps every credential whole or absent.
 */
export function quoteVendorText(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= MAX_QUOTED_TEXT) return flat;
  const head = flat.slice(0, MAX_QUOTED_TEXT + 1);
  const boundary = head.lastIndexOf(" ");
  return `${boundary > 0 ? head.slice(0, boundary) : ""}…`;
}

/**
 * Spotify 4xx answers → `ProviderError` kinds. The base client only calls these for 4xx
 * other than 429, so a 5xx can never become `invalid_grant` here.
 */

/**
 * Accounts service (`POST /api/token`). OAuth errors per RFC 6749 §5.2; Spotify answers
 * `400 {"error":"invalid_grant"}` for a revoked, expired (6-month lifetime since June 2026)
 * or unknown refresh token and for a used/expired authorization code.
 * https://developer.spotify.com/documentation/web-api/tutorials/refreshing-tokens
 * https://developer.spotify.com/blog/2026-06-18-refresh-token-expiration
 */
export function classifyAccountsFailure(failure: HttpFailure): FailureClassification | undefined {
  const parsed = accountsErrorSchema.safeParse(failure.body);
  if (!parsed.success) return undefined;
  const { error, error_description: description } = parsed.data;
  const detail = quoteVendorText(description ? `${error}: ${description}` : error);
  if (error === "invalid_grant") return { kind: "invalid_grant", detail };
  if (error === "invalid_client" || error === "unauthorized_client") return { kind: "unauthorized", detail };
  return { kind: "bad_request", detail };
}

/**
 * Texts of the 403 Spotify has sent, over the years, when a development-mode app's user is
 * not on its allow-list (body JSON or plain text), as reported in public issue threads:
 * "User not approved for app" (2021), "User not registered in the Developer Dashboard"
 * (2021–2024), "Check settings on developer.spotify.com/dashboard, the user may not be
 * registered." (2024–2026), "The user is not registered for this application. Please check
 * your settings on https://developer.spotify.com/dashboard." (2026).
 */
const UNREGISTERED_USER = [
  /user not approved for app/i,
  /not registered in the developer dashboard/i,
  /the user may not be registered/i,
  /user is not registered for this application/i,
];
/** 403 text for a token missing a scope, e.g. "Insufficient client scope". */
const INSUFFICIENT_SCOPE = /insufficient (client )?scope/i;

/**
 * Web API. Error object `{ "error": { "status", "message", "reason"? } }`; the player adds a
 * `reason` (https://developer.spotify.com/documentation/web-api/concepts/api-calls#response-status-codes,
 * player error reasons: NO_ACTIVE_DEVICE on 404, PREMIUM_REQUIRED on 403). A development-mode
 * app answers a 403 (texts below, sometimes as plain text) for users not on its allow-list
 * (https://developer.spotify.com/documentation/web-api/concepts/quota-modes).
 */
export function classifyApiFailure(failure: HttpFailure): FailureClassification | undefined {
  const parsed = apiErrorSchema.safeParse(failure.body);
  // Matched in full; quoted (cut at a word boundary) only in the message.
  const message = parsed.success ? (parsed.data.error.message ?? "") : typeof failure.body === "string" ? failure.body : "";
  const reason = parsed.success ? parsed.data.error.reason : undefined;
  const detail = quoteVendorText([reason, message].filter(Boolean).join(": ")) || undefined;
  const base = detail === undefined ? {} : { detail };

  if (failure.status === 404 && reason === "NO_ACTIVE_DEVICE") return { kind: "no_active_device", ...base };
  if (failure.status === 403) {
    if (reason === "PREMIUM_REQUIRED" || /premium required/i.test(message)) return { kind: "premium_required", ...base };
    if (UNREGISTERED_USER.some((re) => re.test(message))) return { kind: "unregistered_user", ...base };
    if (INSUFFICIENT_SCOPE.test(message)) return { kind: "insufficient_scope", ...base };
    return { kind: "forbidden", ...base };
  }
  return undefined;
}
