import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import type { LandingContext } from "../../db/schema/attribution";
import { artists, smartLinks } from "../../db/schema/play";
import { isProviderError } from "../../lib/provider-error";
import type { TokenSet } from "../../providers/spotify/port";
import type { Artist } from "./ensure-artist";
import type { SmartLink } from "./create-smart-link";
import type { SaveIntent } from "./create-oauth-state";
import type { ClickIds } from "../conversions/index";
import type { AdRequest } from "../attribution/create-event-buffer";
import { runFanAction, type StepOutcome } from "./run-fan-action";
import { REQUIRED_FAN_SCOPES } from "./spotify-scopes";
import { upsertPlayUser, type PlayUser } from "./upsert-play-user";

export type AuthorizationFailure =
  | "consent_denied"
  | "provider_error"
  | "code_rejected"
  | "missing_scope"
  | "development_mode_cap"
  | "link_gone"
  | "spotify_unavailable";

export type AuthorizationOutcome =
  | { ok: true; link: SmartLink; artist: Artist; playUser: PlayUser; steps: StepOutcome[] }
  | { ok: false; reason: AuthorizationFailure; link: SmartLink | null; artist: Artist | null };

/**
 * The Spotify callback for a save or pre-save, after `consumeOauthState` accepted the
 * state (P03: the token endpoint is never called for a bad state): exchanges the code,
 * reads the profile, stores the Play user with sealed tokens, records AUTH, then runs the
 * action the fan tapped for. Known failures come back as `{ ok: false, reason }` with an
 * AUTH_FAILED event, never as an exception.
 */
export async function completeSpotifyAuthorization({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: {
    intent: SaveIntent;
    codeVerifier: string;
    code: string | undefined;
    error: string | undefined;
    /** Rotating device / IP-prefix hashes of the callback request (attribution `hashNetwork`); kept on the AUTH event. */
    network?: { deviceHash: string; networkHash: string; period: number } | null;
    /** Validated click ids of the callback request, only when ad consent holds: kept on AUTH and the action's events (`detail.clickIds`). */
    clickIds?: ClickIds | null;
    /** The callback request's IP / user agent / consent id, only when ad consent holds: for the conversion outbox of the action's events. */
    adRequest?: AdRequest | null;
  };
}): Promise<AuthorizationOutcome> {
  const { intent, codeVerifier } = input;
  const link = (await ctx.db.query.smartLinks.findFirst({ where: eq(smartLinks.id, intent.smartLinkId) })) ?? null;
  const artist = link ? ((await ctx.db.query.artists.findFirst({ where: eq(artists.id, link.artistId) })) ?? null) : null;
  const context = intent.context as unknown as LandingContext;

  const fail = async (reason: AuthorizationFailure, detail: Record<string, unknown> = {}): Promise<AuthorizationOutcome> => {
    if (link) {
      await ctx.events.record(ctx.db, [
        { type: "AUTH_FAILED", artistId: link.artistId, smartLinkId: link.id, visitorHash: intent.visitorHash, context, detail: { reason, ...detail } },
      ]);
    }
    return { ok: false, reason, link, artist };
  };

  if (!link || !artist || !link.published) return fail("link_gone");
  if (input.error) {
    // Only OAuth error codes are stored (RFC 6749 §4.1.2.1: ASCII); anything else is "other".
    const error = /^[a-z_]{1,64}$/.test(input.error) ? input.error : "other";
    return fail(error === "access_denied" ? "consent_denied" : "provider_error", { error });
  }
  if (!input.code || input.code.length > 2048) return fail("code_rejected");

  let tokens: TokenSet;
  try {
    tokens = await ctx.music.accounts.exchangeCode({ code: input.code, codeVerifier });
  } catch (err) {
    ctx.logger.warn({ err }, "spotify code exchange failed");
    return fail(isProviderError(err, "invalid_grant") || isProviderError(err, "bad_request") ? "code_rejected" : "spotify_unavailable");
  }
  const granted = new Set(tokens.scope.split(/\s+/));
  const missing = REQUIRED_FAN_SCOPES.filter((s) => !granted.has(s));
  if (missing.length > 0) return fail("missing_scope", { missing });

  // Profile first, with the fresh tokens held in memory: the row is created only for a
  // fan Spotify lets us serve (a development-mode app refuses unregistered users here).
  let held = tokens;
  const memoryStore = { key: `new:${randomUUID()}`, load: async () => held, save: async (t: TokenSet) => void (held = t) };
  let profile;
  try {
    profile = await ctx.music.forFan(memoryStore).me();
  } catch (err) {
    if (isProviderError(err, "unregistered_user")) return fail("development_mode_cap");
    ctx.logger.warn({ err }, "spotify profile read failed");
    return fail("spotify_unavailable");
  }

  const playUser = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const user = await upsertPlayUser({ ctx: txCtx, input: { profile, tokens: held } });
    await ctx.events.record(tx, [
      { type: "AUTH", artistId: link.artistId, smartLinkId: link.id, playUserId: user.id, visitorHash: intent.visitorHash, context, detail: { action: intent.action, ...(input.network ? { network: input.network } : {}), ...(input.clickIds ? { clickIds: input.clickIds } : {}) } },
    ]);
    return user;
  });

  try {
    const steps = await runFanAction({ ctx, input: { playUser, link, context, visitorHash: intent.visitorHash, clickIds: input.clickIds ?? null, adRequest: input.adRequest ?? null } });
    return { ok: true, link, artist, playUser, steps };
  } catch (err) {
    ctx.logger.warn({ err }, "fan action failed right after authorization");
    return fail(isProviderError(err, "insufficient_scope") ? "missing_scope" : "spotify_unavailable");
  }
}
