import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents, type LandingContext } from "../../db/schema/attribution";
import { playUsers, presaves, smartLinks } from "../../db/schema/play";
import { isProviderError } from "../../lib/provider-error";
import { createFanTokenStore } from "./create-fan-token-store";

/** Spotify refresh tokens expire six months after consent (PRODUCT.md §3). */
export const REFRESH_TOKEN_LIFETIME_MS = 183 * 24 * 60 * 60 * 1000;
const RETRY_BASE_MS = 15 * 60 * 1000;
const RETRY_MAX_MS = 6 * 60 * 60 * 1000;
/** After this many attempts a provider error stops retrying; the ledger keeps the count. */
export const MAX_PRESAVE_ATTEMPTS = 20;

/** Backoff for attempt n (1-based): 15 min, 30 min, 1 h … capped at 6 h. */
export function presaveBackoffMs(attempt: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS);
}

/**
 * Job `play.deliver-presaves`: on and after release day (UTC), saves each pending
 * pre-save to the fan's library. Keeps a ledger per fan: `delivered`, `not_live_yet`
 * (Spotify has no live release yet; retried with backoff), `token_expired` (six months
 * passed), `revoked` (Spotify said invalid_grant), `provider_error` (retried with backoff).
 * Idempotent: each row moves out of a retryable state at most once per attempt, and
 * saving an already saved release is a no-op at Spotify.
 * @returns counts per outcome of this run.
 */
export async function deliverPresaves({ ctx, input }: { ctx: Ctx; input: { limit?: number } }): Promise<Record<string, number>> {
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const due = await ctx.db
    .select({ presave: presaves, link: smartLinks, consentedAt: playUsers.consentedAt })
    .from(presaves)
    .innerJoin(smartLinks, eq(presaves.smartLinkId, smartLinks.id))
    .innerJoin(playUsers, eq(presaves.playUserId, playUsers.id))
    .where(
      and(
        inArray(presaves.status, ["pending", "not_live_yet", "provider_error"]),
        lte(smartLinks.releaseDate, today),
        or(isNull(presaves.nextAttemptAt), lte(presaves.nextAttemptAt, now)),
        sql`${presaves.attempts} < ${MAX_PRESAVE_ATTEMPTS}`,
      ),
    )
    .orderBy(presaves.createdAt)
    .limit(input.limit ?? 500);

  const counts: Record<string, number> = {};
  for (const { presave, link, consentedAt } of due) {
    const attempts = presave.attempts + 1;
    let status: string;
    let lastError: string | null = null;
    if (consentedAt.getTime() + REFRESH_TOKEN_LIFETIME_MS <= now.getTime()) {
      status = "token_expired";
    } else {
      try {
        await ctx.music.forFan(createFanTokenStore(ctx, presave.playUserId)).saveToLibrary([`spotify:album:${link.spotifyAlbumId}`]);
        status = "delivered";
      } catch (err) {
        if (isProviderError(err, "not_found")) status = "not_live_yet";
        else if (isProviderError(err, "invalid_grant")) status = "revoked";
        else status = "provider_error";
        lastError = err instanceof Error ? err.message.slice(0, 300) : "unknown error";
      }
    }
    const retry = status === "not_live_yet" || status === "provider_error";
    await ctx.db
      .update(presaves)
      .set({
        status,
        attempts,
        lastError,
        deliveredAt: status === "delivered" ? now : null,
        nextAttemptAt: retry ? new Date(now.getTime() + presaveBackoffMs(attempts)) : null,
        updatedAt: now,
      })
      .where(and(eq(presaves.id, presave.id), eq(presaves.attempts, presave.attempts)));
    if (status === "delivered") {
      // The save is attributed to the landing that produced the pre-save (P08).
      const [origin] = await ctx.db
        .select({ context: engagementEvents.context, visitorHash: engagementEvents.visitorHash })
        .from(engagementEvents)
        .where(and(eq(engagementEvents.type, "PRESAVE"), eq(engagementEvents.smartLinkId, link.id), eq(engagementEvents.playUserId, presave.playUserId)))
        .limit(1);
      const context: LandingContext = origin?.context ?? {
        path: `/presave`,
        utm: {},
        referrerHost: null,
        clickIds: [],
        country: null,
        deviceClass: "unknown",
        inAppBrowser: null,
        locale: null,
      };
      await ctx.events.record(ctx.db, [
        {
          type: "SAVE_TRACK",
          artistId: link.artistId,
          smartLinkId: link.id,
          playUserId: presave.playUserId,
          visitorHash: origin?.visitorHash ?? null,
          context,
          detail: { uri: `spotify:album:${link.spotifyAlbumId}`, via: "presave", presaveId: presave.id },
        },
      ]);
    }
    counts[status] = (counts[status] ?? 0) + 1;
  }
  if (due.length > 0) ctx.logger.info({ counts }, "pre-saves delivered");
  return counts;
}
