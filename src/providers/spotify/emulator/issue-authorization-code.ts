import { randomUUID } from "node:crypto";
import type { EmulatorState } from "./create-emulator-state";
import { generateToken } from "./generate-token";

/** Spotify authorization codes are short-lived; 10 minutes like the Accounts service. */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60_000;

/**
 * Records the fan's consent (a new grant) and returns a single-use authorization code,
 * exactly what pressing **Agree** does.
 */
export function issueAuthorizationCode(
  state: EmulatorState,
  input: { fanId: string; scopes: string[]; redirectUri: string; codeChallenge: string | null },
): string {
  const now = state.options.clock.now();
  const grantId = randomUUID();
  state.grants.set(grantId, {
    id: grantId,
    fanId: input.fanId,
    scopes: [...new Set(input.scopes)],
    consentedAt: now,
    revoked: false,
    pkce: input.codeChallenge !== null,
  });
  const code = generateToken("AQ", 96);
  state.codes.set(code, {
    code,
    grantId,
    redirectUri: input.redirectUri,
    codeChallenge: input.codeChallenge,
    expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_TTL_MS),
    used: false,
  });
  return code;
}
