import { createHash, randomBytes } from "node:crypto";
import type { Ctx } from "../../context";
import { oauthStates } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { seal } from "../../lib/seal";
import { signValue } from "../../lib/sign-value";
import { createPkcePair } from "../../providers/spotify/client/index";

/** OAuth states live ten minutes at most (P03). */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** What to do once the fan comes back from Spotify. */
export type OauthIntent =
  | {
      action: "save" | "presave";
      smartLinkId: string;
      /** Landing context and visitor hash captured when the fan tapped. */
      context: Record<string, unknown>;
      visitorHash: string | null;
    }
  /** Data-deletion request: sign-in only proves who the fan is; no token is stored. */
  | { action: "erase" };

export type SaveIntent = Extract<OauthIntent, { action: "save" | "presave" }>;

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("base64url");

/**
 * Starts an authorization (P03): a random state signed with HMAC (`<random>.<sig>`), a
 * browser-binding nonce for the starting browser's cookie, and a PKCE S256 pair. Only
 * hashes of state and nonce are stored; the verifier is sealed (P01).
 * @returns `{ state, browserNonce, codeChallenge, expiresAt }` — the state goes in the
 *   authorize URL, the nonce in an HttpOnly cookie.
 */
export async function createOauthState({ ctx, input }: { ctx: Ctx; input: { provider: "spotify"; intent: OauthIntent } }) {
  const now = ctx.clock.now();
  const id = newId("oauthState", now);
  const random = randomBytes(32).toString("base64url");
  const state = `${random}.${signValue(ctx.config.cookieSecret, `oauth-state:${input.provider}`, random)}`;
  const browserNonce = randomBytes(32).toString("base64url");
  const pkce = createPkcePair();
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_TTL_MS);
  await ctx.db.insert(oauthStates).values({
    id,
    stateHash: sha256(state),
    provider: input.provider,
    browserHash: sha256(browserNonce),
    codeVerifierSealed: seal(ctx.config.keyRing, { table: "oauth_states", column: "code_verifier", rowId: id }, pkce.verifier),
    intent: input.intent as unknown as Record<string, unknown>,
    expiresAt,
    createdAt: now,
  });
  return { state, browserNonce, codeChallenge: pkce.challenge, expiresAt };
}
