import { describe, expect, it } from "vitest";
import { renderSaveResultPage, type SaveStep } from "./render-save-result-page";
import { ARTWORK, PUBLIC_URL, elementsAndAttributes, jsonLdBlocks, makeArtist, makeLink, scriptTags, urlAttributes } from "./test-helpers";

const SPOTIFY = "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy";

function render(steps: SaveStep[], openInSpotifyUrl = SPOTIFY): string {
  return renderSaveResultPage({ link: makeLink(), artist: makeArtist(), publicUrl: PUBLIC_URL, steps, openInSpotifyUrl });
}

describe("renderSaveResultPage", () => {
  const steps: SaveStep[] = [
    { key: "save", ok: true, text: "Saved to your library" },
    { key: "follow", ok: true, text: "Following Nova Lane" },
    { key: "playback", ok: false, text: "Not playing: no active Spotify device" },
  ];

  it("lists each outcome in plain words with a text equivalent for the icon", () => {
    const html = render(steps);
    expect(html).toContain(`<p class="status" role="status">Saved</p>`);
    expect(html).toContain(`<span class="sr-only">Done: </span>Saved to your library`);
    expect(html).toContain(`<span class="sr-only">Done: </span>Following Nova Lane`);
    expect(html).toContain(`<li class="step step-no"><span class="step-icon" aria-hidden="true">✕</span><span><span class="sr-only">Not done: </span>Not playing: no active Spotify device`);
    expect(html.indexOf("Saved to your library")).toBeLessThan(html.indexOf("Following Nova Lane"));
  });

  it("links to Spotify, back to the smart link, and to data deletion", () => {
    const html = render(steps);
    expect(html).toContain(`<a class="btn btn-primary" href="${SPOTIFY}">Open in Spotify</a>`);
    expect(html).toContain(`<a class="btn btn-secondary" href="/nova-lane/midnight-static">Back to Midnight Static</a>`);
    expect(html).toContain(`<a href="/data-deletion">Delete my data</a>`);
    expect(html).toContain(`<meta name="robots" content="noindex">`);
    expect(html).toContain(`<link rel="canonical" href="${PUBLIC_URL}/nova-lane/midnight-static">`);
    expect(jsonLdBlocks(html)[0]).toMatchObject({ "@type": "MusicAlbum", name: "Midnight Static" });
    for (const { value } of urlAttributes(html)) {
      expect(value.startsWith("/") || value === ARTWORK || value === SPOTIFY || value.startsWith(`${PUBLIC_URL}/`), value).toBe(true);
    }
  });

  it("drops a non-http(s) Open in Spotify URL", () => {
    const html = render(steps, "javascript:alert(1)");
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("Open in Spotify");
  });

  it("headlines a failed save and a pre-save", () => {
    expect(render([{ key: "save", ok: false, text: "Spotify said no" }])).toContain(">Save didn't work<");
    expect(render([{ key: "presave", ok: true, text: "Pre-saved: it will be in your library on release day" }])).toContain(">Pre-saved<");
  });

  it("escapes step texts", () => {
    const html = render([{ key: "follow", ok: false, text: `<script>alert(1)</script>"><img src=x onerror=y>` }]);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(scriptTags(html)).toHaveLength(1);
    for (const el of elementsAndAttributes(html)) expect(el.attrs.filter((a) => a.startsWith("on"))).toEqual([]);
  });
});
