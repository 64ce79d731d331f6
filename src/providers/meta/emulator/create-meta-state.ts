import type { Clock } from "../../../lib/clock";

/** A test Facebook user. `email` may be null (people who signed up with a phone number). */
export interface MetaUser {
  /** App-scoped user id (digits). */
  id: string;
  name: string;
  email: string | null;
  pictureUrl: string | null;
}

export interface MetaFault {
  /** Path below the mount point, e.g. `/v23.0/oauth/access_token`. */
  pathPrefix: string;
  status: 429 | 500 | 502 | 503;
  times: number;
}

export interface MetaEmulatorOptions {
  clock: Clock;
  appId: string;
  appSecret: string;
  /** Valid OAuth redirect URIs of the app. */
  redirectUris: string[];
  basePath: string;
  publicUrl: string;
  /** Graph API version in paths, e.g. `v23.0`. */
  graphVersion: string;
}

export interface MetaState {
  options: MetaEmulatorOptions;
  users: MetaUser[];
  /** code → who and where; single use, 10 minutes. */
  codes: Map<string, { userId: string; redirectUri: string; scopes: string[]; expiresAt: number }>;
  accessTokens: Map<string, { userId: string; scopes: string[]; expiresAt: number }>;
  faults: MetaFault[];
}

export function createMetaState(options: MetaEmulatorOptions): MetaState {
  return { options, users: [], codes: new Map(), accessTokens: new Map(), faults: [] };
}
