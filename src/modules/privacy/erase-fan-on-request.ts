import { randomBytes } from "node:crypto";
import type { Ctx } from "../../context";
import { deletionRequests } from "../../db/schema/privacy";
import { newId } from "../../lib/ids";
import { erasePlayUser } from "../play/index";

/** Crockford base32 without look-alikes, for codes people read and type. */
const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

function confirmationCode(): string {
  const bytes = randomBytes(12);
  let code = "";
  for (const b of bytes) code += ALPHABET[b % ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/**
 * A fan's data-deletion request (P17), after they proved control of the Spotify account
 * (signed Play cookie or a Spotify sign-in). Erases at once, in one transaction: the Play
 * user with its sealed tokens, pre-saves and engagement events (stricter than the
 * policy's 14 days). Aggregated counts that name nobody are not stored per fan, so they
 * remain by construction.
 * @returns the confirmation code for the status page, and whether any data was held.
 */
export async function eraseFanOnRequest({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { spotifyUserId: string; proof: "play_cookie" | "spotify_sign_in" };
}): Promise<{ confirmationCode: string; status: "completed" | "no_data" }> {
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const { erased } = await erasePlayUser({ ctx: txCtx, input: { spotifyUserId: input.spotifyUserId } });
    const now = ctx.clock.now();
    const code = confirmationCode();
    const status = erased ? "completed" : "no_data";
    await tx.insert(deletionRequests).values({ id: newId("deletionRequest", now), confirmationCode: code, proof: input.proof, status, requestedAt: now, completedAt: now });
    ctx.logger.info({ proof: input.proof, status }, "fan data deletion request completed");
    return { confirmationCode: code, status };
  });
}
