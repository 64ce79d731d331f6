import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { Clock } from "../../../lib/clock";

/** A test Google account. */
export interface GoogleAccount {
  /** Stable subject (21 digits, like Google's). */
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  picture: string | null;
}

export interface GoogleFault {
  /** Path below the mount point the fault applies to, e.g. `/token`. */
  pathPrefix: string;
  status: 429 | 500 | 502 | 503;
  times: number;
}

export interface GoogleEmulatorOptions {
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs registered for the client. */
  redirectUris: string[];
  /** Mount path, e.g. `/_emulator/google`. */
  basePath: string;
  /** Public origin the browser and Backbeat reach the emulator on. */
  publicUrl: string;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  sub: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  /** Unix ms. */
  expiresAt: number;
}

export interface GoogleState {
  options: GoogleEmulatorOptions;
  /** `{publicUrl}{basePath}`: the `iss` of every id_token. */
  issuer: string;
  accounts: GoogleAccount[];
  codes: Map<string, AuthorizationCode>;
  /** access token → subject and expiry (Unix ms). */
  accessTokens: Map<string, { sub: string; scope: string; expiresAt: number }>;
  faults: GoogleFault[];
  signingKey: Promise<{ privateKey: CryptoKey; jwk: JWK }>;
}

export function createGoogleState(options: GoogleEmulatorOptions): GoogleState {
  const signingKey = (async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: `emu-${crypto.randomUUID().slice(0, 8)}`, alg: "RS256", use: "sig" };
    return { privateKey, jwk };
  })();
  return {
    options,
    issuer: `${options.publicUrl}${options.basePath}`,
    accounts: [],
    codes: new Map(),
    accessTokens: new Map(),
    faults: [],
    signingKey,
  };
}
