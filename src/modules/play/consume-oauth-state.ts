import { timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { oauthStates } from "../../db/schema/play";
import { AppError } from "../../lib/errors";
import { open } from "../../lib/seal";
import { verifySignature } from "../../lib/sign-value";
import { sha256, type OauthIntent } from "./create-oauth-state";

export type OauthStateFailure = "missing" | "tampered" | "unknown" | "replayed" | "expired" | "wrong_provider" | "foreign_browser";

export class OauthStateError extends AppError {
  constructor(readonly reason: OauthStateFailure) {
    super("BAD_REQUEST", `oauth state rejected: ${reason}`, { field: "state" });
  }
}

/**
 * Checks and uses up an OAuth state (P03): signature, existence, single use, expiry,
 * provider, and the browser that started the flow. The row is marked used atomically
 * before any other check, so a state can never be used twice, even concurrently.
 * @returns the stored intent and the PKCE code verifier.
 * @throws OauthStateError (BAD_REQUEST) with the failure reason; the caller must then
 *   not call the token endpoint.
 */
export async function consumeOauthState({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { provider: "spotify"; state: string | undefined; browserNonce: string | undefined };
}): Promise<{ intent: OauthIntent; codeVerifier: string }> {
  const { state, browserNonce } = input;
  if (!state || state.length > 200) throw new OauthStateError("missing");
  const [random, signature] = state.split(".");
  if (!random || !signature || !verifySignature(ctx.config.cookieSecret, `oauth-state:${input.provider}`, random, signature)) {
    // A state signed for another provider fails here too: the purpose names the provider.
    throw new OauthStateError("tampered");
  }
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .update(oauthStates)
    .set({ usedAt: now })
    .where(and(eq(oauthStates.stateHash, sha256(state)), isNull(oauthStates.usedAt)))
    .returning();
  if (!row) {
    const seen = await ctx.db.query.oauthStates.findFirst({ where: eq(oauthStates.stateHash, sha256(state)) });
    throw new OauthStateError(seen ? "replayed" : "unknown");
  }
  if (row.expiresAt.getTime() <= now.getTime()) throw new OauthStateError("expired");
  if (row.provider !== input.provider) throw new OauthStateError("wrong_provider");
  const expected = Buffer.from(row.browserHash);
  const given = Buffer.from(browserNonce ? sha256(browserNonce) : "");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new OauthStateError("foreign_browser");
  const codeVerifier = open(ctx.config.keyRing, { table: "oauth_states", column: "code_verifier", rowId: row.id }, row.codeVerifierSealed);
  return { intent: row.intent as unknown as OauthIntent, codeVerifier };
}
