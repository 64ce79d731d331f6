import { describe, expect, it } from "vitest";
import { DEMO_UPCOMING } from "./catalog";
import { artworkInitials, renderArtworkSvg } from "./render-artwork-svg";
import { KIT, startEmulatorKit } from "./start-emulator-kit";

type Json = Record<string, unknown>;

const GLOBAL_WARMING = "4aawyAB9vmqN3uQ7FjRGTy";
const CUT_TO_THE_FEELING = "0tGPJ0bkWOUmH7MEOR77qc";
const PITBULL = "0TnOYISbd1XYRBk9myaseg";

function emulatorImages(id: string): Json[] {
  const url = `${KIT.publicUrl}${KIT.basePath}/image/${id}`;
  return [640, 300, 64].map((size) => ({ url, width: size, height: size }));
}

describe("Spotify emulator: artwork", () => {
  it("albums and artists without real images point at the emulator's own artwork, in Spotify's three sizes", async () => {
    for (const quotaMode of ["extended", "development"] as const) {
      const kit = startEmulatorKit({ quotaMode });
      const { accessToken } = await kit.connectFan({ registered: true });
      const auth = kit.bearer(accessToken);
      const album = (await (await kit.req(`/v1/albums/${GLOBAL_WARMING}`, { headers: auth })).json()) as Json & { artists: Json[] };
      expect(album.images).toEqual(emulatorImages(GLOBAL_WARMING));
      const artist = (await (await kit.req(`/v1/artists/${PITBULL}`, { headers: auth })).json()) as Json;
      expect(artist.images).toEqual(emulatorImages(PITBULL));
      const track = (await (await kit.req("/v1/tracks/3cHyrEgdyYRjgJKSOiOtcS", { headers: auth })).json()) as { album: Json };
      expect(track.album.images).toEqual(emulatorImages("2xTimberSingle00000001"));
      // Every seed release, VERIFIED ones included, is served from the emulator (offline-safe).
      const verified = (await (await kit.req(`/v1/albums/${CUT_TO_THE_FEELING}`, { headers: auth })).json()) as Json;
      expect(verified.images).toEqual(emulatorImages(CUT_TO_THE_FEELING));
    }
  });

  it("GET /image/{id} answers a deterministic SVG with long cache headers; unknown or malformed ids are 404", async () => {
    const kit = startEmulatorKit();
    const response = await kit.req(`/image/${GLOBAL_WARMING}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="640" viewBox="0 0 640 640"/);
    expect(svg).toContain("linearGradient");
    expect(svg).toContain(">GW</text>");
    expect(svg).toContain(">Global Warming</text>");
    expect(svg).toContain(">Pitbull</text>");
    expect(svg).not.toMatch(/<script|href=|url\((?!#)/i);
    // No authorization needed (an image CDN), and the same id gives the same bytes.
    expect(await (await kit.req(`/image/${GLOBAL_WARMING}`)).text()).toBe(svg);
    expect(await (await kit.req(`/image/${DEMO_UPCOMING.albumId}`)).text()).not.toBe(svg);

    const artist = await (await kit.req(`/image/${PITBULL}`)).text();
    expect(artist).toContain(">P</text>");
    expect(artist).not.toContain(">Pitbull</text>"); // shown in a circle: no corner caption

    for (const id of ["0000000000000000000000", "not-an-id", "%3Cscript%3E"]) {
      const missing = await kit.req(`/image/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get("content-type")).not.toMatch(/svg/);
    }
  });

  it("escapes every text it draws", async () => {
    const kit = startEmulatorKit();
    const hostile = `</text><script>alert("x")</script> & 'more'`;
    kit.control.addRelease({
      id: "7xHostileArtwork000001",
      name: hostile,
      releaseDate: "2020-01-01",
      artists: [{ id: "7xHostileArtist0000001", name: `<b onload="x">Evil & Co</b>` }],
      tracks: [{ id: "7xHostileTrack00000001", name: "t" }],
    });
    const svg = await (await kit.req("/image/7xHostileArtwork000001")).text();
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<b ");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;");
    expect(svg).toContain("&lt;b onload=&quot;x&quot;&gt;Evil &amp; Co&lt;/b&gt;");
    expect(svg.match(/<text /g)).toHaveLength(3);
    expect(svg.match(/<\/text>/g)).toHaveLength(3);
  });

  it("initials come from the first two words, without bracketed parts", () => {
    expect(artworkInitials("Global Warming")).toBe("GW");
    expect(artworkInitials("Timber (feat. Ke$ha)")).toBe("T");
    expect(artworkInitials("Countdown (Backbeat demo pre-release)")).toBe("C");
    expect(artworkInitials("E•MO•TION")).toBe("EM");
    expect(artworkInitials("élan vital")).toBe("ÉV");
    expect(artworkInitials("???")).toBe("♪");
    const long = renderArtworkSvg({ id: "x", kind: "album", title: "A".repeat(200), subtitle: "B".repeat(200) });
    expect(long).toContain(`>${"A".repeat(41)}…</text>`);
    expect(long).toContain(`>${"B".repeat(59)}…</text>`);
    // Long captions get a smaller font, short ones the full size.
    expect(long).toMatch(/font-size="20" font-weight="700"/);
    expect(renderArtworkSvg({ id: "x", kind: "album", title: "Short" })).toMatch(/font-size="30" font-weight="700"/);
  });
});
