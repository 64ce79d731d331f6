import { and, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents, fanLibraryStates } from "../../db/schema/attribution";
import { newId } from "../../lib/ids";
import type { FanEngagement } from "./find-fan-engagement";

/**
 * Save retention for a batch of fans: stores the saved/followed state just read from
 * Spotify for the items each fan saved or followed through Backbeat, and appends an
 * UNSAVE_TRACK (track or album URI) or UNFOLLOW_ARTIST event, carrying the save's
 * touchpoint, on each change from saved to not saved. A re-save only flips the state back
 * (the later UNSAVE of it is a new event). At most three statements for the whole batch
 * (read known states, upsert changed ones, insert events); `ctx.db` should be a
 * transaction so a state flip and its event land together.
 * @returns per fan (same order as `fans`): how many items were found un-saved / un-followed now.
 */
export async function recordRetention({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { fans: ReadonlyArray<{ playUserId: string; items: FanEngagement["libraryItems"]; saved: readonly boolean[] }> };
}): Promise<Array<{ unsaved: number; unfollowed: number }>> {
  const now = ctx.clock.now();
  const results = input.fans.map(() => ({ unsaved: 0, unfollowed: 0 }));
  const fans = input.fans.filter((f) => f.items.length > 0);
  if (fans.length === 0) return results;
  const known = await ctx.db
    .select({ playUserId: fanLibraryStates.playUserId, uri: fanLibraryStates.uri, saved: fanLibraryStates.saved })
    .from(fanLibraryStates)
    .where(
      and(
        inArray(
          fanLibraryStates.playUserId,
          fans.map((f) => f.playUserId),
        ),
        inArray(fanLibraryStates.uri, [...new Set(fans.flatMap((f) => f.items.map((i) => i.uri)))]),
      ),
    );
  const before = new Map(known.map((k) => [`${k.playUserId} ${k.uri}`, k.saved]));
  const events: Array<typeof engagementEvents.$inferInsert> = [];
  const rows: Array<typeof fanLibraryStates.$inferInsert> = [];
  input.fans.forEach((fan, f) => {
    const result = results[f]!;
    fan.items.forEach((item, i) => {
      const saved = fan.saved[i] === true;
      const previous = before.get(`${fan.playUserId} ${item.uri}`);
      // Unchanged states are not rewritten (the fan's `last_synced_at` says when they were
      // last confirmed): the steady state costs one read.
      if (previous === saved) return;
      rows.push({ playUserId: fan.playUserId, uri: item.uri, artistId: item.artistId, smartLinkId: item.smartLinkId, saved, checkedAt: now, changedAt: now });
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
          playUserId: fan.playUserId,
          visitorHash: item.touchpoint.visitorHash,
          context: item.touchpoint.context,
          detail: { uri: item.uri, touchpoint: { eventId: item.touchpoint.eventId, type: item.touchpoint.type, occurredAt: item.touchpoint.occurredAt.toISOString() } },
        });
      }
    });
  });
  if (rows.length === 0) return results;
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
  return results;
}
