import { Hono } from "hono";
import type { SeedImage } from "./catalog";
import type { EmulatorState } from "./create-emulator-state";
import { ARTWORK_SIZES, renderArtworkSvg } from "./render-artwork-svg";

const BASE62_ID = /^[0-9A-Za-z]{22}$/;

/**
 * `images` for an emulated album or artist that has no real images: the emulator's own
 * artwork at `{publicUrl}{basePath}/image/{id}`, listed in Spotify's three sizes, widest
 * first (one SVG serves all three). Items with real images keep theirs.
 */
export function imagesOf(state: EmulatorState, id: string, images: readonly SeedImage[]): SeedImage[] {
  if (images.length > 0) return [...images];
  const url = `${state.options.publicUrl}${state.options.basePath}/image/${id}`;
  return ARTWORK_SIZES.map((size) => ({ url, width: size, height: size }));
}

/**
 * The emulator's stand-in for Spotify's image CDN (`i.scdn.co`): `GET /image/{id}` answers
 * a generated SVG cover for a known album or artist id, so demo pages have artwork
 * without sending fans to a third party. Unknown ids answer 404, like the CDN.
 */
export function createImageRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  app.get("/image/:id", (c) => {
    const id = c.req.param("id");
    const album = BASE62_ID.test(id) ? state.albums.get(id) : undefined;
    const artist = BASE62_ID.test(id) && !album ? state.artists.get(id) : undefined;
    if (!album && !artist) return c.text("Not found", 404, { "cache-control": "no-store" });
    const svg = album
      ? renderArtworkSvg({
          id,
          kind: "album",
          title: album.name,
          subtitle: album.artistIds.map((a) => state.artists.get(a)?.name ?? "").filter(Boolean).join(", "),
        })
      : renderArtworkSvg({ id, kind: "artist", title: artist!.name });
    return c.body(svg, 200, {
      "content-type": "image/svg+xml; charset=utf-8",
      // Covers never change for an id (like i.scdn.co); a year, immutable.
      "cache-control": "public, max-age=31536000, immutable",
      // An SVG opened directly must not run anything or load anything.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      "x-content-type-options": "nosniff",
      "cross-origin-resource-policy": "cross-origin",
    });
  });
  return app;
}
