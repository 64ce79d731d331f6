import { and, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents, fanLibraryStates } from "../../db/schema/attribution";
import { newId } from "../../lib/ids";
import type { FanEngagement } from "./find-fan-engagement";

/**
 * Save retention for one fan: stores the saved/followed state just read from Spotify for
 * the items the fan saved or followed through Backbeat, and appends an UNSAVE_TRACK (track
 * or album URI) or UNFOLLOW_ARTIST event, carrying the save's touchpoint, on each change
 * from saved to not saved. A re-save only flips the state back (the later UNSAVE of it is
 * a new event). `db` may be a transaction.
 * @returns how many items were found un-saved / un-followed now.
 */
export async function recordRetention({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { playUserId: string; items: FanEngagement["libraryItems"]; saved: readonly boolean[] };
}): Promise<{ unsaved: number; unfollowed: number }> {
  const now = ctx.clock.now();
  if (input.items.length === 0) return { unsaved: 0, unfollowed: 0 };
  const known = await ctx.db
    .select({ uri: fanLibraryStates.uri, saved: fanLibraryStates.saved })
    .from(fanLibraryStates)
    .where(and(eq(fanLibraryStates.playUserId, input.playUserId), inArray(fanLibraryStates.uri, input.items.map((i) => i.uri))));
  const before = new Map(known.map((k) => [k.uri, k.saved]));
  const result = { unsaved: 0, unfollowed: 0 };
  const events: Array<typeof engagementEvents.$inferInsert> = [];
  const rows: Array<typeof fanLibraryStates.$inferInsert> = [];
  input.items.forEach((item, i) => {
    const saved = input.saved[i] === true;
    const previous = before.get(item.uri);
    // Unchanged states are not rewritten (the fan's `last_synced_at` says when they were
    // last confirmed): the steady state costs one read.
    if (previous === saved) return;
    rows.push({ playUserId: input.playUserId, uri: item.uri, artistId: item.artistId, smartLinkId: item.smartLinkId, saved, checkedAt: now, changedAt: now });
    // First check counts as "was saved" (the fan saved it through us): not saved any more
    // then is an un-save too.
    if (!saved && previous !== false) {
      const artist = item.uri.startsWith("spotify:artist:");
      if (artist) result.unfollowed += 1;
      else result.unsaved += 1;
      events.push({
        id: newId("event", now),
        type: artist ? "UNFOLLOW_ARTIST" : "UNSAVE_TRACK",
        occurredAt: now,
        artistId: item.artistId,
        smartLinkId: item.smartLinkId,
        playUserId: input.playUserId,
        visitorHash: item.touchpoint.visitorHash,
        context: item.touchpoint.context,
        detail: { uri: item.uri, touchpoint: { eventId: item.touchpoint.eventId, type: item.touchpoint.type, occurredAt: item.touchpoint.occurredAt.toISOString() } },
      });
    }
  });
  if (rows.length === 0) return result;
  // One statement: the state flips (and `changed_at` moves) only where it differs.
  await ctx.db
    .insert(fanLibraryStates)
    .values(rows)
    .onConflictDoUpdate({
      target: [fanLibraryStates.playUserId, fanLibraryStates.uri],
      set: {
        saved: sql`excluded.saved`,
        checkedAt: sql`excluded.checked_at`,
        changedAt: sql`case when ${fanLibraryStates.saved} is distinct from excluded.saved then excluded.changed_at else ${fanLibraryStates.changedAt} end`,
      },
    });
  if (events.length > 0) await ctx.db.insert(engagementEvents).values(events);
  return result;
}
