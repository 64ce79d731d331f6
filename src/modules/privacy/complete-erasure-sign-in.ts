import { randomUUID } from "node:crypto";
import type { Ctx } from "../../context";
import { isProviderError } from "../../lib/provider-error";
import type { TokenSet } from "../../providers/spotify/port";
import { eraseFanOnRequest } from "./erase-fan-on-request";

/**
 * The data-deletion half of the Spotify callback: the sign-in proves which Spotify
 * account the fan controls. The tokens are held in memory only for one `GET /me`, then
 * dropped — nothing is stored but the deletion request.
 * @returns the confirmation code, or a reason when the sign-in did not complete.
 */
export async function completeErasureSignIn({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { codeVerifier: string; code: string | undefined; error: string | undefined };
}): Promise<{ ok: true; confirmationCode: string; status: "completed" | "no_data" } | { ok: false; reason: "cancelled" | "spotify_unavailable" | "code_rejected" }> {
  if (input.error) return { ok: false, reason: "cancelled" };
  if (!input.code || input.code.length > 2048) return { ok: false, reason: "code_rejected" };
  let held: TokenSet;
  try {
    held = await ctx.music.accounts.exchangeCode({ code: input.code, codeVerifier: input.codeVerifier });
  } catch (err) {
    return { ok: false, reason: isProviderError(err, "invalid_grant") || isProviderError(err, "bad_request") ? "code_rejected" : "spotify_unavailable" };
  }
  let spotifyUserId: string;
  try {
    const store = { key: `erase:${randomUUID()}`, load: async () => held, save: async (t: TokenSet) => void (held = t) };
    spotifyUserId = (await ctx.music.forFan(store).me()).id;
  } catch (err) {
    // A development-mode app refuses /me for unregistered users; such a fan never
    // authorized Backbeat, so Backbeat holds no Play data for them.
    if (isProviderError(err, "unregistered_user")) {
      const result = await eraseFanOnRequest({ ctx, input: { spotifyUserId: "", proof: "spotify_sign_in" } });
      return { ok: true, ...result };
    }
    return { ok: false, reason: "spotify_unavailable" };
  }
  const result = await eraseFanOnRequest({ ctx, input: { spotifyUserId, proof: "spotify_sign_in" } });
  return { ok: true, ...result };
}
