import { describe, expect, it } from "vitest";
import { HUB_RELEASE_LIMIT, renderArtistHubPage } from "./render-artist-hub-page";
import { NOW, PUBLIC_URL, countTag, elementsAndAttributes, jsonLdBlocks, makeArtist, makeLink, metaContent, scriptTags, urlAttributes } from "./test-helpers";
import { THEME_NAMES } from "./themes";

const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;

describe("renderArtistHubPage", () => {
  const links = [
    makeLink({ id: "l1", slug: "old", title: "Old One", releaseDate: "2019-05-01", releaseType: "single" }),
    makeLink({ id: "l2", slug: "draft", title: "Draft", releaseDate: "2026-01-01", published: false }),
    makeLink({ id: "l3", slug: "next", title: "Next One", releaseDate: "2027-02-03" }),
    makeLink({ id: "l4", slug: "mid", title: "Mid One", releaseDate: "2023-09-09", artworkUrl: null }),
  ];

  it("lists published links newest first with artwork, title and link", () => {
    const html = renderArtistHubPage({ artist: makeArtist(), links, publicUrl: PUBLIC_URL, now: NOW });
    const hrefs = [...html.matchAll(/<a class="rel" href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(["/nova-lane/next", "/nova-lane/mid", "/nova-lane/old"]);
    expect(html).not.toContain("Draft");
    expect(html).toContain("Album · Out 3 February 2027");
    expect(html).toContain("Single · 2019");
    expect(html).toContain(`<h1>Nova Lane</h1>`);
    // Two artworks (one link has none) + the artist image; list images are lazy with a size.
    expect(countTag(html, "img")).toBe(3);
    expect(html).toMatch(/<img src="[^"]+" alt="" width="64" height="64" loading="lazy" decoding="async">/);
    expect(html).toMatch(/<img class="avatar" src="[^"]+" alt="Nova Lane" width="160" height="160"/);
  });

  it("has canonical, OG tags and MusicGroup JSON-LD with albums", () => {
    const html = renderArtistHubPage({ artist: makeArtist(), links, publicUrl: PUBLIC_URL, now: NOW });
    expect(html).toContain(`<link rel="canonical" href="${PUBLIC_URL}/nova-lane">`);
    expect(metaContent(html, "og:type")).toBe("profile");
    expect(metaContent(html, "og:url")).toBe(`${PUBLIC_URL}/nova-lane`);
    const [ld] = jsonLdBlocks(html) as [Record<string, unknown> & { album: Array<Record<string, unknown>> }];
    expect(ld).toMatchObject({
      "@type": "MusicGroup",
      name: "Nova Lane",
      url: `${PUBLIC_URL}/nova-lane`,
      image: makeArtist().imageUrl,
      genre: ["indie pop", "dream pop"],
    });
    expect(ld.album.map((a) => a.name)).toEqual(["Next One", "Mid One", "Old One"]);
    expect(ld.album[0]).toMatchObject({
      "@type": "MusicAlbum",
      datePublished: "2027-02-03",
      url: `${PUBLIC_URL}/nova-lane/next`,
      byArtist: { "@type": "MusicGroup", name: "Nova Lane" },
    });
  });

  it("escapes the artist name, description and titles", () => {
    const html = renderArtistHubPage({
      artist: makeArtist({ name: HOSTILE, hubDescription: HOSTILE, genres: [HOSTILE] }),
      links: [makeLink({ title: HOSTILE })],
      publicUrl: PUBLIC_URL,
      now: NOW,
    });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(scriptTags(html)).toHaveLength(1);
    for (const el of elementsAndAttributes(html)) expect(el.attrs.filter((a) => a.startsWith("on"))).toEqual([]);
    expect((jsonLdBlocks(html)[0] as { name: string }).name).toBe(HOSTILE);
  });

  it("stays under 30 KB for a large catalog in every theme, listing the newest releases", () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      makeLink({
        id: `l${i}`,
        slug: `a-fairly-long-release-slug-number-${i}`,
        title: `A Fairly Long Release Title Number ${i} (Deluxe Edition)`,
        releaseDate: `${2000 + (i % 26)}-${String(1 + (i % 12)).padStart(2, "0")}-15`,
        artworkUrl: `https://i.scdn.co/image/ab67616d00004851${String(i).padStart(24, "0")}`,
      }),
    );
    for (const hubTheme of THEME_NAMES) {
      const html = renderArtistHubPage({
        artist: makeArtist({ hubTheme, hubDescription: "d".repeat(500) }),
        links: many,
        publicUrl: PUBLIC_URL,
        now: NOW,
      });
      expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
      expect(countTag(html, "li")).toBe(HUB_RELEASE_LIMIT);
      expect(html).toContain(`The ${HUB_RELEASE_LIMIT} newest of 120 releases.`);
      for (const { value } of urlAttributes(html)) {
        expect(value.startsWith("/") || value.startsWith("https://i.scdn.co/") || value.startsWith(`${PUBLIC_URL}/`), value).toBe(true);
      }
    }
  });

  it("renders an empty hub", () => {
    const html = renderArtistHubPage({ artist: makeArtist({ imageUrl: null }), links: [], publicUrl: PUBLIC_URL, now: NOW });
    expect(html).toContain("No releases yet.");
    expect(countTag(html, "img")).toBe(0);
    expect(jsonLdBlocks(html)[0]).not.toHaveProperty("album");
  });
});
