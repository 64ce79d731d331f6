import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { playUsers, presaves } from "../../db/schema/play";
import { eraseFanEvents, exportFanEvents } from "../attribution/privacy";
import { eraseFanConsent, exportFanConsent } from "../conversions/index";

/**
 * Play's data-subject hooks, keyed by the fan's Spotify user id.
 *
 * `exportPlayUser` → `{ profile, presaves, events, consent }` or null: what Backbeat holds about the
 * fan, without tokens (P02) or hashes.
 * `erasePlayUser` deletes, in one transaction, the Play user row with its sealed tokens,
 * the fan's pre-saves (ledger included), engagement events and consent records (those of
 * every browser linked to the fan too). Idempotent: erasing an
 * unknown fan answers `{ erased: false }`.
 */
export async function exportPlayUser({ ctx, input }: { ctx: Ctx; input: { spotifyUserId: string } }) {
  const user = await ctx.db.query.playUsers.findFirst({ where: eq(playUsers.spotifyUserId, input.spotifyUserId) });
  if (!user) return null;
  const saves = await ctx.db.select().from(presaves).where(eq(presaves.playUserId, user.id));
  return {
    profile: {
      id: user.id,
      spotifyUserId: user.spotifyUserId,
      displayName: user.displayName,
      country: user.country,
      product: user.product,
      scopes: user.scopes.split(" "),
      consentedAt: user.consentedAt,
      createdAt: user.createdAt,
    },
    presaves: saves.map((p) => ({ smartLinkId: p.smartLinkId, status: p.status, createdAt: p.createdAt, deliveredAt: p.deliveredAt })),
    events: await exportFanEvents({ ctx, input: { playUserId: user.id } }),
    consent: await exportFanConsent({ ctx, input: { playUserId: user.id } }),
  };
}

export async function erasePlayUser({ ctx, input }: { ctx: Ctx; input: { spotifyUserId: string } }): Promise<{ erased: boolean; events: number }> {
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const user = await tx.query.playUsers.findFirst({ where: eq(playUsers.spotifyUserId, input.spotifyUserId) });
    if (!user) return { erased: false, events: 0 };
    const { deleted } = await eraseFanEvents({ ctx: txCtx, input: { playUserId: user.id } });
    // Before the Play user row: the cascade would drop the linked rows but not the other
    // rows of the fan's browsers, which only this join still finds.
    await eraseFanConsent({ ctx: txCtx, input: { playUserId: user.id } });
    await tx.delete(presaves).where(eq(presaves.playUserId, user.id));
    await tx.delete(playUsers).where(eq(playUsers.id, user.id));
    return { erased: true, events: deleted };
  });
}
