import type { Ctx } from "../../context";
import type { LandingContext } from "../../db/schema/attribution";
import { presaves } from "../../db/schema/play";
import { newId } from "../../lib/ids";
import { isProviderError, ProviderError } from "../../lib/provider-error";
import { formatReleaseDate } from "../../web/pages/format";
import type { AdRequest, EngagementInput } from "../attribution/create-event-buffer";
import type { ClickIds } from "../conversions/index";
import type { SmartLink } from "./create-smart-link";
import { createFanTokenStore } from "./create-fan-token-store";
import { isUnreleased } from "./is-unreleased";
import type { PlayUser } from "./upsert-play-user";

export interface StepOutcome {
  key: "save" | "follow" | "playback" | "presave";
  ok: boolean;
  /** Plain words for the fan. */
  text: string;
  /** Machine reason when not ok (recorded, never shown raw). */
  reason?: string;
  /** Ids of the engagement events this step recorded (the browser pixel fires the same ids). */
  eventIds?: string[];
}

/** Errors that mean the stored authorization no longer works: ask the fan to authorize again. */
export function needsReauthorization(err: unknown): boolean {
  return isProviderError(err, "invalid_grant") || isProviderError(err, "unauthorized") || isProviderError(err, "insufficient_scope");
}

/** "on 13 December 2026" (or "in December 2026", "in 2026"), as the landing page writes the date. */
function releaseDayText(link: Pick<SmartLink, "releaseDate" | "releaseDatePrecision">): string {
  const date = formatReleaseDate(link.releaseDate, link.releaseDatePrecision);
  if (!date) return "on release day";
  return link.releaseDatePrecision === "month" || link.releaseDatePrecision === "year" ? `in ${date}` : `on ${date}`;
}

function reasonOf(err: unknown): string {
  return err instanceof ProviderError ? err.kind : "internal";
}

/**
 * Does what the fan tapped for, with their authorization (P07): saves the release and
 * follows the artist(s) shown on the page, then tries playback (best effort: a missing
 * device or Premium never fails the save). For an unreleased release it records a
 * pre-save (delivered on release day by `play.deliver-presaves`) and follows now.
 * Records SAVE_TRACK, FOLLOW_ARTIST, PLAYBACK_STARTED or PRESAVE with the landing
 * context (P08).
 *
 * @throws ProviderError when the authorization itself is unusable (`needsReauthorization`),
 *   so the caller can send the fan through Spotify again; other failures become steps.
 */
export async function runFanAction({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: {
    playUser: PlayUser;
    link: SmartLink;
    context: LandingContext;
    visitorHash: string | null;
    /** Validated click ids, only when ad consent holds: kept in each event's `detail.clickIds`. */
    clickIds?: ClickIds | null;
    /** The request's IP / user agent / consent id, only when ad consent holds: for the conversion outbox, never stored on events (P11). */
    adRequest?: AdRequest | null;
  };
}): Promise<StepOutcome[]> {
  const { playUser, link, context, visitorHash } = input;
  const clickIds = input.clickIds ? { clickIds: input.clickIds } : {};
  const eventId = () => newId("event", ctx.clock.now());
  const api = ctx.music.forFan(createFanTokenStore(ctx, playUser.id));
  const albumUri = `spotify:album:${link.spotifyAlbumId}`;
  const artistNames = link.releaseArtists.map((a) => a.name).join(" & ");
  const base = { artistId: link.artistId, smartLinkId: link.id, playUserId: playUser.id, visitorHash, context, ...(input.adRequest ? { adRequest: input.adRequest } : {}) };
  const events: EngagementInput[] = [];
  const steps: StepOutcome[] = [];
  const unreleased = isUnreleased(link, ctx.clock.now());

  if (unreleased) {
    const now = ctx.clock.now();
    await ctx.db
      .insert(presaves)
      .values({ id: newId("presave", now), smartLinkId: link.id, playUserId: playUser.id, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
    const id = eventId();
    events.push({ ...base, id, type: "PRESAVE", detail: { uri: albumUri, releaseDate: link.releaseDate, ...clickIds } });
    steps.push({ key: "presave", ok: true, text: `Pre-saved: it will be in your library ${releaseDayText(link)}`, eventIds: [id] });
  } else {
    try {
      await api.saveToLibrary([albumUri]);
      const id = eventId();
      events.push({ ...base, id, type: "SAVE_TRACK", detail: { uri: albumUri, releaseType: link.releaseType, ...clickIds } });
      steps.push({ key: "save", ok: true, text: "Saved to your library", eventIds: [id] });
    } catch (err) {
      if (needsReauthorization(err)) throw err;
      ctx.logger.warn({ err, linkId: link.id }, "save failed");
      steps.push({ key: "save", ok: false, text: "We could not save it right now. Please try again in a minute.", reason: reasonOf(err) });
    }
  }

  const artistUris = link.releaseArtists.map((a) => `spotify:artist:${a.spotifyId}`);
  try {
    await api.saveToLibrary(artistUris);
    const ids: string[] = [];
    for (const a of link.releaseArtists) {
      const id = eventId();
      ids.push(id);
      events.push({ ...base, id, type: "FOLLOW_ARTIST", detail: { uri: `spotify:artist:${a.spotifyId}`, ...clickIds } });
    }
    steps.push({ key: "follow", ok: true, text: `Following ${artistNames}`, eventIds: ids });
  } catch (err) {
    if (needsReauthorization(err)) throw err;
    ctx.logger.warn({ err, linkId: link.id }, "follow failed");
    steps.push({ key: "follow", ok: false, text: `We could not follow ${artistNames} right now.`, reason: reasonOf(err) });
  }

  if (!unreleased) steps.push(await tryPlayback(ctx, api, albumUri, base, events));

  await ctx.events.record(ctx.db, events);
  return steps;
}

async function tryPlayback(
  ctx: Ctx,
  api: ReturnType<Ctx["music"]["forFan"]>,
  contextUri: string,
  base: Omit<EngagementInput, "type">,
  events: EngagementInput[],
): Promise<StepOutcome> {
  try {
    const devices = await api.devices();
    const device = devices.find((d) => d.isActive) ?? null;
    await api.startPlayback({ contextUri, ...(device?.id ? { deviceId: device.id } : {}) });
    // Only the device type is recorded; its name is shown to the fan, not stored.
    events.push({ ...base, type: "PLAYBACK_STARTED", detail: { uri: contextUri, deviceType: device?.type ?? null } });
    return { key: "playback", ok: true, text: device ? `Playing on ${device.name}` : "Playing on Spotify" };
  } catch (err) {
    if (isProviderError(err, "premium_required")) {
      return { key: "playback", ok: false, text: "Playback starts automatically only with Spotify Premium. Open it in Spotify to listen.", reason: "premium_required" };
    }
    if (isProviderError(err, "no_active_device")) {
      return { key: "playback", ok: false, text: "Spotify isn't open on any of your devices, so playback didn't start. Open it in Spotify to listen.", reason: "no_active_device" };
    }
    ctx.logger.info({ err }, "playback not started");
    return { key: "playback", ok: false, text: "Playback didn't start. Open it in Spotify to listen.", reason: reasonOf(err) };
  }
}
