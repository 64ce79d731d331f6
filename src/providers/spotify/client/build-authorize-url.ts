import type { SpotifyConfig } from "../../../config";
import { badRequest } from "./spotify-ids";

/**
 * URL of Spotify's consent page for the Authorization Code flow with PKCE:
 * `GET {accountsUrl}/authorize?client_id&response_type=code&redirect_uri&state&scope
 *  &code_challenge_method=S256&code_challenge[&show_dialog=true]`.
 * `redirect_uri` is always `config.redirectUri` (never derived from a request's Host).
 * https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow
 * @throws ProviderError `bad_request` for an empty state or a challenge that is not S256-shaped.
 */
export function buildAuthorizeUrl(
  config: SpotifyConfig,
  input: { state: string; codeChallenge: string; scopes: readonly string[]; showDialog?: boolean },
): string {
  if (input.state.length === 0) throw badRequest("state is required");
  // BASE64URL(SHA-256(…)) is always 43 characters.
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.codeChallenge)) throw badRequest("codeChallenge must be an S256 challenge");
  const params: Array<[string, string]> = [
    ["client_id", config.clientId],
    ["response_type", "code"],
    ["redirect_uri", config.redirectUri],
    ["state", input.state],
    ["code_challenge_method", "S256"],
    ["code_challenge", input.codeChallenge],
  ];
  if (input.scopes.length > 0) params.push(["scope", input.scopes.join(" ")]);
  if (input.showDialog) params.push(["show_dialog", "true"]);
  // encodeURIComponent (space → %20) rather than URLSearchParams (space → +): unambiguous for any parser.
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  return `${config.accountsUrl}/authorize?${query}`;
}
