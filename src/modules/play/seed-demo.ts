import type { Ctx } from "../../context";
import { createSmartLink } from "./create-smart-link";
import { listSmartLinks, type SmartLinkSummary } from "./list-smart-links";
import { updateSmartLink } from "./update-smart-link";

/**
 * The demo workspace for a laptop run against the Spotify emulator: Pitbull's artist hub
 * with three smart links from the emulator catalog — a released single, an album, and
 * the emulator's upcoming release (a pre-save). Idempotent: a second run changes nothing.
 */
export const DEMO_RELEASES = {
  single: "spotify:track:3cHyrEgdyYRjgJKSOiOtcS", // Timber (feat. Ke$ha)
  album: "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?si=demo", // Global Warming
  upcoming: "spotify:album:0BackbeatDemoUpcoming1", // ILLUSTRATIVE Pitbull pre-release, exists only in the emulator
} as const;

export async function seedDemo({ ctx }: { ctx: Ctx; input: Record<string, never> }): Promise<SmartLinkSummary[]> {
  const album = await createSmartLink({ ctx, input: { spotifyUrl: DEMO_RELEASES.album } });
  if (album.kind !== "smart_link") throw new Error("demo album did not become a smart link");
  const artistSlug = album.artist.slug;
  const single = await createSmartLink({ ctx, input: { spotifyUrl: DEMO_RELEASES.single, artistSlug } });
  const upcoming = await createSmartLink({ ctx, input: { spotifyUrl: DEMO_RELEASES.upcoming, artistSlug } });
  if (album.status === "created") {
    await updateSmartLink({
      ctx,
      input: {
        linkId: album.link.id,
        theme: "aurora",
        description: "Demo smart link served by Backbeat against its Spotify emulator.",
        services: [
          { service: "spotify", url: `https://open.spotify.com/album/${album.link.spotifyAlbumId}`, hidden: false },
          { service: "apple_music", url: "https://music.apple.com/us/album/global-warming/1445890427", hidden: false },
          { service: "youtube_music", url: "https://music.youtube.com/browse/MPREb_demo", hidden: false },
          { service: "deezer", url: "https://www.deezer.com/album/5836641", hidden: false },
        ],
      },
    });
  }
  if (single.kind === "smart_link" && single.status === "created") await updateSmartLink({ ctx, input: { linkId: single.link.id, theme: "cinematic" } });
  if (upcoming.kind === "smart_link" && upcoming.status === "created") await updateSmartLink({ ctx, input: { linkId: upcoming.link.id, theme: "brutalist" } });
  const ids = new Set([album.link.id, single.kind === "smart_link" ? single.link.id : "", upcoming.kind === "smart_link" ? upcoming.link.id : ""]);
  return (await listSmartLinks({ ctx, input: { artistSlug } })).filter((l) => ids.has(l.id));
}
