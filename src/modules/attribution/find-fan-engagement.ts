import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { engagementEvents, type LandingContext } from "../../db/schema/attribution";
import { artists, smartLinks } from "../../db/schema/play";

/** Event types that put a fan inside an artist's attribution window (touchpoints). */
export const TOUCHPOINT_TYPES = ["AUTH", "SAVE_TRACK", "FOLLOW_ARTIST", "PRESAVE"] as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Touchpoints slightly older than the window are still loaded: a play that ended inside the
 * window may be read up to this long after the window closed (sync runs hourly).
 */
export const TOUCHPOINT_SLACK_MS = 2 * DAY_MS;

export interface Touchpoint {
  eventId: string;
  type: (typeof TOUCHPOINT_TYPES)[number];
  occurredAt: Date;
  context: LandingContext;
  visitorHash: string | null;
  /** `spotify:album:…` / `spotify:artist:…` for SAVE_TRACK and FOLLOW_ARTIST. */
  uri: string | null;
}

/** One smart link (release) the fan engaged with, and its touchpoints, oldest first. */
export interface EngagedRelease {
  smartLinkId: string;
  artistId: string;
  /** Track ids on the release, as stored on the smart link. */
  trackIds: string[];
  /** The artist's attribution window (ms). */
  windowMs: number;
  touchpoints: Touchpoint[];
}

export interface FanEngagement {
  releases: EngagedRelease[];
  /**
   * Items whose saved/followed state is checked (P09: nothing else): the URIs the fan saved
   * or followed through Backbeat, each with the touchpoint that produced it (latest).
   */
  libraryItems: Array<{ uri: string; artistId: string; smartLinkId: string; touchpoint: Touchpoint }>;
  /** Whether some touchpoint is inside its artist's window right now. */
  inWindow: boolean;
  /** Earliest touchpoint loaded (where a first sync starts reading plays). */
  earliestAt: Date | null;
}

/**
 * What each fan engaged with: releases (smart links) with AUTH / SAVE_TRACK / FOLLOW_ARTIST /
 * PRESAVE events of that fan inside the artist's window (plus `TOUCHPOINT_SLACK_MS`).
 * One query for the whole batch of fans. Reads only; `now` is `ctx.clock`.
 * @returns one entry per requested id (a fan without touchpoints gets empty lists).
 */
export async function findFanEngagement({ ctx, input }: { ctx: Ctx; input: { playUserIds: readonly string[] } }): Promise<Map<string, FanEngagement>> {
  const now = ctx.clock.now();
  const result = new Map<string, FanEngagement>();
  for (const id of input.playUserIds) result.set(id, { releases: [], libraryItems: [], inWindow: false, earliestAt: null });
  if (input.playUserIds.length === 0) return result;
  const rows = await ctx.db
    .select({
      playUserId: engagementEvents.playUserId,
      id: engagementEvents.id,
      type: engagementEvents.type,
      occurredAt: engagementEvents.occurredAt,
      context: engagementEvents.context,
      visitorHash: engagementEvents.visitorHash,
      detail: engagementEvents.detail,
      smartLinkId: smartLinks.id,
      artistId: smartLinks.artistId,
      trackIds: smartLinks.trackIds,
      windowDays: artists.attributionWindowDays,
    })
    .from(engagementEvents)
    .innerJoin(smartLinks, eq(smartLinks.id, engagementEvents.smartLinkId))
    .innerJoin(artists, eq(artists.id, smartLinks.artistId))
    .where(
      and(
        inArray(engagementEvents.playUserId, [...input.playUserIds]),
        isNotNull(engagementEvents.smartLinkId),
        // Literals (our own constants), so the planner matches the partial index
        // `engagement_events_touchpoint_idx` whatever the plan cache does.
        sql`${engagementEvents.type} in (${sql.raw(TOUCHPOINT_TYPES.map((t) => `'${t}'`).join(", "))})`,
        sql`${engagementEvents.occurredAt} >= ${now}::timestamptz - make_interval(days => ${artists.attributionWindowDays}) - make_interval(secs => ${TOUCHPOINT_SLACK_MS / 1000})`,
      ),
    )
    .orderBy(engagementEvents.occurredAt, engagementEvents.id);

  const releases = new Map<string, Map<string, EngagedRelease>>();
  const library = new Map<string, Map<string, FanEngagement["libraryItems"][number]>>();
  for (const row of rows) {
    const fan = result.get(row.playUserId!);
    if (!fan) continue;
    const windowMs = row.windowDays * DAY_MS;
    const uri = typeof row.detail.uri === "string" ? row.detail.uri : null;
    const touchpoint: Touchpoint = {
      eventId: row.id,
      type: row.type as Touchpoint["type"],
      occurredAt: row.occurredAt,
      context: row.context,
      visitorHash: row.visitorHash,
      uri,
    };
    let fanReleases = releases.get(row.playUserId!);
    if (!fanReleases) releases.set(row.playUserId!, (fanReleases = new Map()));
    const release = fanReleases.get(row.smartLinkId) ?? { smartLinkId: row.smartLinkId, artistId: row.artistId, trackIds: row.trackIds, windowMs, touchpoints: [] };
    release.touchpoints.push(touchpoint);
    fanReleases.set(row.smartLinkId, release);
    if (now.getTime() - row.occurredAt.getTime() <= windowMs) fan.inWindow = true;
    fan.earliestAt ??= row.occurredAt;
    // Saves and follows made through Backbeat are the items whose retention we follow.
    if ((row.type === "SAVE_TRACK" || row.type === "FOLLOW_ARTIST") && uri && /^spotify:(album|track|artist):[0-9A-Za-z]{22}$/.test(uri)) {
      let fanLibrary = library.get(row.playUserId!);
      if (!fanLibrary) library.set(row.playUserId!, (fanLibrary = new Map()));
      fanLibrary.set(uri, { uri, artistId: row.artistId, smartLinkId: row.smartLinkId, touchpoint });
    }
  }
  for (const [id, fan] of result) {
    fan.releases = [...(releases.get(id)?.values() ?? [])];
    fan.libraryItems = [...(library.get(id)?.values() ?? [])];
  }
  return result;
}
