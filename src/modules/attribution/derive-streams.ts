import type { PlayHistoryItem } from "../../providers/spotify/port";
import type { EngagedRelease, Touchpoint } from "./find-fan-engagement";

export interface DerivedStream {
  /** Canonical track id: the id on our release (also when Spotify relinked the play). */
  trackId: string;
  /** The id Spotify actually played when it differs from `trackId` (relinking). */
  servedTrackId: string | null;
  /** End of the play (Spotify's `played_at`), UTC. */
  playedAt: Date;
  smartLinkId: string;
  artistId: string;
  /** Last touch: the latest touchpoint on that release at or before `playedAt`, inside the window. */
  touchpoint: Touchpoint;
}

export interface DeriveStreamsResult {
  streams: DerivedStream[];
  skipped: { local: number; notEngaged: number; outsideWindow: number; duplicate: number };
}

/**
 * Pure: recently-played items → STREAM candidates for the fan's engaged releases.
 *
 * - Local files and items without an id are skipped.
 * - A relinked play (`linkedFromId`) counts for the id that was asked for when that id is on
 *   an engaged release, else for the served id: both name the same recording.
 * - A play is attributed to the release whose latest touchpoint at or before `played_at`
 *   is the most recent (last touch), when `played_at − touchpoint ≤ window`; a play that
 *   ended before any touchpoint, or after the window closed, is not a stream.
 * - A repeat (same track, another `played_at`) is another stream; the same (track,
 *   `played_at`) twice in the input is one (the database dedupes across runs).
 */
export function deriveStreams(input: { items: readonly PlayHistoryItem[]; releases: readonly EngagedRelease[] }): DeriveStreamsResult {
  const byTrack = new Map<string, EngagedRelease[]>();
  for (const release of input.releases) {
    for (const id of release.trackIds) {
      const list = byTrack.get(id);
      if (list) list.push(release);
      else byTrack.set(id, [release]);
    }
  }
  const skipped = { local: 0, notEngaged: 0, outsideWindow: 0, duplicate: 0 };
  const streams: DerivedStream[] = [];
  const seen = new Set<string>();
  for (const item of input.items) {
    if (item.isLocal || !item.trackId) {
      skipped.local += 1;
      continue;
    }
    const canonical = item.linkedFromId && byTrack.has(item.linkedFromId) ? item.linkedFromId : item.trackId;
    const candidates = byTrack.get(canonical);
    if (!candidates) {
      skipped.notEngaged += 1;
      continue;
    }
    const played = item.playedAt.getTime();
    let best: { release: EngagedRelease; touchpoint: Touchpoint } | null = null;
    for (const release of candidates) {
      // Touchpoints are oldest first: the last one not after the play is this release's last touch.
      let touch: Touchpoint | null = null;
      for (const t of release.touchpoints) {
        if (t.occurredAt.getTime() <= played) touch = t;
        else break;
      }
      if (!touch || played - touch.occurredAt.getTime() > release.windowMs) continue;
      if (!best || touch.occurredAt.getTime() > best.touchpoint.occurredAt.getTime()) best = { release, touchpoint: touch };
    }
    if (!best) {
      skipped.outsideWindow += 1;
      continue;
    }
    const key = `${canonical}|${played}`;
    if (seen.has(key)) {
      skipped.duplicate += 1;
      continue;
    }
    seen.add(key);
    streams.push({
      trackId: canonical,
      servedTrackId: canonical === item.trackId ? null : item.trackId,
      playedAt: item.playedAt,
      smartLinkId: best.release.smartLinkId,
      artistId: best.release.artistId,
      touchpoint: best.touchpoint,
    });
  }
  return { streams, skipped };
}
