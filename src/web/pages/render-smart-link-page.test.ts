import { describe, expect, it } from "vitest";
import { renderSmartLinkPage, type RenderSmartLinkPageInput } from "./render-smart-link-page";
import {
  ALL_SERVICES,
  ARTWORK,
  NOW,
  PUBLIC_URL,
  countTag,
  elementsAndAttributes,
  withoutJsonLd,
  jsonLdBlocks,
  makeArtist,
  makeLink,
  metaContent,
  scriptTags,
  urlAttributes,
} from "./test-helpers";
import { THEME_NAMES } from "./themes";

const HOSTILE = `<script>alert(1)</script> "quoted" 'single' "><img src=x onerror=alert(2)> & </script><!--`;

function render(over: Partial<RenderSmartLinkPageInput> = {}): string {
  return renderSmartLinkPage({
    link: makeLink(),
    artist: makeArtist(),
    publicUrl: PUBLIC_URL,
    inAppBrowser: null,
    saveEnabled: true,
    now: NOW,
    ...over,
  });
}

function largeLink() {
  return makeLink({
    title: "A Very Long Release Title That Goes On (Deluxe Edition) [Remastered 2026]",
    releaseArtists: [
      { spotifyId: "0OdUWJ0sBjDrqHygGUXeCF", name: "Nova Lane" },
      { spotifyId: "1aaaaaaaaaaaaaaaaaaaaa", name: "The Featured Orchestra of Somewhere" },
      { spotifyId: "2bbbbbbbbbbbbbbbbbbbbb", name: "DJ Guest & Friends" },
    ],
    services: ALL_SERVICES,
    description: "Lorem ipsum dolor sit amet & <b>more</b>. ".repeat(13).slice(0, 500),
    trackIds: Array.from({ length: 24 }, (_, i) => `track${i}`),
  });
}

/** Every absolute URL outside the JSON-LD block. */
function absoluteUrlsOutsideJsonLd(html: string): string[] {
  return [...withoutJsonLd(html).matchAll(/(?:https?:)?\/\/[^"'\s<>)]+/g)].map((m) => m[0]);
}

describe("renderSmartLinkPage", () => {
  it("escapes title, artist names and description in text, attributes and JSON-LD", () => {
    const html = render({
      link: makeLink({
        title: HOSTILE,
        releaseArtists: [{ spotifyId: "x", name: HOSTILE }],
        description: HOSTILE,
      }),
      artist: makeArtist({ name: HOSTILE }),
      notice: HOSTILE,
    });
    expect(html).not.toContain("<script>alert");
    for (const el of elementsAndAttributes(html)) {
      expect(el.attrs.filter((a) => a.startsWith("on")), el.tag).toEqual([]);
    }
    const allowed = new Set(["html", "head", "meta", "title", "link", "style", "script", "body", "main", "div", "img", "h1", "h2", "p", "time", "form", "button", "ul", "li", "a", "span", "strong", "footer"]);
    for (const el of elementsAndAttributes(html)) expect(allowed.has(el.tag), el.tag).toBe(true);
    expect(html).not.toContain("<img src=x");
    expect(countTag(html, "img")).toBe(1); // the artwork only
    expect(scriptTags(html)).toEqual(['<script type="application/ld+json">']);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39;");
    const [ld] = jsonLdBlocks(html) as [Record<string, unknown>];
    expect(ld.name).toBe(HOSTILE);
    expect(ld.description).toBe(HOSTILE);
  });

  it("JSON-LD cannot break out of its script element", () => {
    const title = `</script><script>alert(1)</script><!-- \u2028`;
    const html = render({ link: makeLink({ title, description: title }) });
    const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toMatch(/<|>/);
    expect(block).not.toContain("\u2028");
    expect((JSON.parse(block) as { name: string }).name).toBe(title);
    expect(scriptTags(html)).toHaveLength(1);
  });

  it("emits schema.org MusicAlbum with byArtist, datePublished, image and url", () => {
    const [ld] = jsonLdBlocks(render()) as [Record<string, unknown>];
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "MusicAlbum",
      name: "Midnight Static",
      url: `${PUBLIC_URL}/nova-lane/midnight-static`,
      datePublished: "2026-03-14",
      image: ARTWORK,
      byArtist: { "@type": "MusicGroup", name: "Nova Lane", url: `${PUBLIC_URL}/nova-lane` },
      numTracks: 10,
    });
  });

  it("describes a one-track single as a MusicRecording with its ISRC", () => {
    const html = render({ link: makeLink({ releaseType: "single", trackIds: ["t1"], isrc: "USUM72400001" }) });
    const [ld] = jsonLdBlocks(html) as [Record<string, unknown>];
    expect(ld["@type"]).toBe("MusicRecording");
    expect(ld.isrcCode).toBe("USUM72400001");
    expect(metaContent(html, "og:type")).toBe("music.song");
  });

  it("has canonical, Open Graph and Twitter card tags", () => {
    const html = render();
    const url = `${PUBLIC_URL}/nova-lane/midnight-static`;
    expect(html).toContain(`<link rel="canonical" href="${url}">`);
    expect(metaContent(html, "og:url")).toBe(url);
    expect(metaContent(html, "og:title")).toBe("Midnight Static by Nova Lane");
    expect(metaContent(html, "og:type")).toBe("music.album");
    expect(metaContent(html, "og:image")).toBe(ARTWORK);
    expect(metaContent(html, "twitter:card")).toBe("summary_large_image");
    expect(metaContent(html, "twitter:image")).toBe(ARTWORK);
    expect(metaContent(html, "music:release_date")).toBe("2026-03-14");
    expect(html).toMatch(/^<!doctype html><html lang="en"/);
    expect(html).not.toContain('name="robots"');
  });

  it("stays under 30 KB with 8 services and a 500-character description, in every theme", () => {
    for (const theme of THEME_NAMES) {
      for (const inAppBrowser of [null, "instagram"]) {
        const html = render({ link: { ...largeLink(), theme }, inAppBrowser, notice: "Heads up" });
        expect(Buffer.byteLength(html, "utf8")).toBeLessThan(30 * 1024);
      }
    }
  });

  it("requests nothing from third parties: only relative links, the artwork and its own canonical URL", () => {
    for (const theme of THEME_NAMES) {
      const html = render({ link: { ...largeLink(), theme }, inAppBrowser: "tiktok" });
      expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
      expect(html).not.toMatch(/<link[^>]*rel="(?:stylesheet|preconnect|dns-prefetch|preload)"/i);
      expect(html).not.toMatch(/@import|url\(/i);
      const urls = urlAttributes(html);
      expect(urls.length).toBeGreaterThan(10);
      for (const { attr, value } of urls) {
        const ok =
          (value.startsWith("/") && !value.startsWith("//")) ||
          (attr === "src" && value === ARTWORK) ||
          value.startsWith(`${PUBLIC_URL}/`);
        expect(ok, `${attr}=${value}`).toBe(true);
      }
      for (const url of absoluteUrlsOutsideJsonLd(html)) {
        expect(url === ARTWORK || url.startsWith(`${PUBLIC_URL}/`), url).toBe(true);
      }
    }
  });

  it("never renders a non-http(s) artwork URL", () => {
    const html = render({ link: makeLink({ artworkUrl: "javascript:alert(1)" }) });
    expect(html).not.toContain("javascript:");
    expect(countTag(html, "img")).toBe(0);
    expect(metaContent(html, "twitter:card")).toBe("summary");
  });

  it("gives the artwork width, height, alt and loading", () => {
    const img = /<img [^>]*>/.exec(render())![0];
    expect(img).toContain('width="640"');
    expect(img).toContain('height="640"');
    expect(img).toContain('loading="eager"');
    expect(img).toContain('alt="Artwork for Midnight Static by Nova Lane"');
  });

  it("renders every theme with its own stylesheet", () => {
    const styles = new Set<string>();
    for (const theme of THEME_NAMES) {
      const html = render({ link: makeLink({ theme }) });
      const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      styles.add(css);
      expect(css).toContain(":focus-visible");
      expect(css).toContain("prefers-reduced-motion");
      expect(html).toContain("Midnight Static");
    }
    expect(styles.size).toBe(4);
    // The cinematic theme adds a blurred backdrop from the same artwork URL.
    const cinematic = render({ link: makeLink({ theme: "cinematic" }) });
    expect(cinematic).toContain(`<img class="backdrop" src="${ARTWORK}" alt="" aria-hidden="true"`);
    // Unknown theme falls back to classic.
    expect(render({ link: makeLink({ theme: "nope" }) })).toBe(render({ link: makeLink({ theme: "classic" }) }));
  });

  it("puts Save on Spotify first as a POST form, then visible services in stored order", () => {
    const services = [ALL_SERVICES[5]!, ALL_SERVICES[1]!, { ...ALL_SERVICES[2]!, hidden: true }, ALL_SERVICES[0]!, ALL_SERVICES[7]!];
    const html = render({ link: makeLink({ services }) });
    expect(html).toContain(
      `<form method="post" action="/nova-lane/midnight-static/save"><button type="submit" class="btn btn-primary">Save on Spotify</button></form>`,
    );
    const hrefs = [...html.matchAll(/href="(\/nova-lane\/midnight-static\/go\/[a-z_]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([
      "/nova-lane/midnight-static/go/tidal",
      "/nova-lane/midnight-static/go/apple_music",
      "/nova-lane/midnight-static/go/spotify",
      "/nova-lane/midnight-static/go/bandcamp",
    ]);
    expect(html).not.toContain("youtube_music");
    expect(html).not.toContain("YouTube Music");
    expect(html.indexOf("Save on Spotify")).toBeLessThan(html.indexOf("/go/tidal"));
    for (const name of ["TIDAL", "Apple Music", "Spotify", "Bandcamp"]) expect(html).toContain(`<span>${name}</span>`);
  });

  it("uses display names for all eight services and skips unknown or repeated keys", () => {
    const services = [...ALL_SERVICES, { service: "napster", url: "https://x", hidden: false }, ALL_SERVICES[0]!];
    const html = render({ link: makeLink({ services }) });
    const names = [...html.matchAll(/<a class="svc" href="[^"]+"><span>([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(names).toEqual(["Spotify", "Apple Music", "YouTube Music", "Amazon Music", "Deezer", "TIDAL", "SoundCloud", "Bandcamp"]);
    expect(html).not.toContain("napster");
  });

  it("never links to the stored service URLs directly", () => {
    const html = render({ link: makeLink({ services: ALL_SERVICES }) });
    for (const s of ALL_SERVICES) expect(withoutJsonLd(html)).not.toContain(s.url);
  });

  it("shows the pre-save page when the release date is after today", () => {
    const html = render({ link: makeLink({ releaseDate: "2026-12-05" }) });
    expect(html).toContain(`<time datetime="2026-12-05">Out 5 December 2026</time> · in 6 days`);
    expect(html).toContain(
      `<form method="post" action="/nova-lane/midnight-static/save"><button type="submit" class="btn btn-primary">Pre-save on Spotify</button></form>`,
    );
    expect(html).toContain("It will be saved to your Spotify library on release day.");
    expect(html).not.toContain(">Save on Spotify<");
    expect(metaContent(html, "og:description")).toContain("Pre-save Midnight Static by Nova Lane, out 5 December 2026");
  });

  it("says tomorrow the day before, and is a normal page on release day", () => {
    expect(render({ link: makeLink({ releaseDate: "2026-11-30" }) })).toContain("Out 30 November 2026</time> · tomorrow");
    const today = render({ link: makeLink({ releaseDate: "2026-11-29" }) });
    expect(today).toContain(">Save on Spotify<");
    expect(today).toContain(`<time datetime="2026-11-29">29 November 2026</time>`);
    expect(today).not.toContain("Pre-save");
  });

  it("formats the release date at its precision", () => {
    expect(render({ link: makeLink({ releaseDate: "1999-01-01", releaseDatePrecision: "year" }) })).toContain(">1999</time>");
    const month = render({ link: makeLink({ releaseDate: "1999-06-01", releaseDatePrecision: "month" }) });
    expect(month).toContain(">June 1999</time>");
    expect((jsonLdBlocks(month)[0] as { datePublished: string }).datePublished).toBe("1999-06");
  });

  it("in an in-app browser, asks to open the browser first and keeps Save as a secondary button", () => {
    const html = render({ inAppBrowser: "instagram" });
    const notice = html.indexOf("Open in your browser to save on Spotify");
    expect(notice).toBeGreaterThan(0);
    expect(html).toContain(`<a class="btn btn-primary" href="/nova-lane/midnight-static/open-in-browser">Open in browser</a>`);
    expect(html).toContain(`<button type="submit" class="btn btn-secondary">Save on Spotify</button>`);
    expect(notice).toBeLessThan(html.indexOf("<form"));
    expect(html).toContain("Instagram");
    expect(render()).not.toContain("open-in-browser");
  });

  it("without Save (e.g. development-mode cap) shows only the service links", () => {
    const html = render({ saveEnabled: false, inAppBrowser: "facebook", notice: "Saving on Spotify is paused for now." });
    expect(html).not.toContain("<form");
    expect(html).not.toContain("open-in-browser");
    expect(html).toContain(`<p class="notice" role="status">Saving on Spotify is paused for now.</p>`);
    expect(html).toContain("/go/spotify");
  });

  it("percent-encodes slugs in every path", () => {
    const html = render({ artist: makeArtist({ slug: `a"b/c` }), link: makeLink({ slug: "x?y#z" }) });
    expect(html).toContain(`action="/a%22b%2Fc/x%3Fy%23z/save"`);
    expect(html).toContain(`<link rel="canonical" href="${PUBLIC_URL}/a%22b%2Fc/x%3Fy%23z">`);
  });

  it("renders the description escaped, and ignores pixels", () => {
    const html = render({
      link: makeLink({ description: "Line one\nLine <two>", pixels: { meta: "123456789", google: "G-XXXX", tiktok: "C1", reddit: "t2_x" } }),
    });
    expect(html).toContain(`<p class="desc">Line one\nLine &lt;two&gt;</p>`);
    expect(html).not.toContain("123456789");
    expect(html).not.toContain("G-XXXX");
    expect(scriptTags(html)).toHaveLength(1);
  });

  it("falls back to the artist name when the release lists no artists", () => {
    expect(render({ link: makeLink({ releaseArtists: [] }) })).toContain(`<p class="by">Nova Lane</p>`);
    const many = render({
      link: makeLink({
        releaseArtists: [
          { spotifyId: "0OdUWJ0sBjDrqHygGUXeCF", name: "Nova Lane" },
          { spotifyId: "1aaaaaaaaaaaaaaaaaaaaa", name: "Guest" },
          { spotifyId: "2bbbbbbbbbbbbbbbbbbbbb", name: "Other" },
        ],
      }),
    });
    expect(many).toContain(`<p class="by">Nova Lane, Guest &amp; Other</p>`);
    const ld = jsonLdBlocks(many)[0] as { byArtist: Array<{ name: string; url?: string }> };
    expect(ld.byArtist.map((a) => a.name)).toEqual(["Nova Lane", "Guest", "Other"]);
    expect(ld.byArtist[0]!.url).toBe(`${PUBLIC_URL}/nova-lane`);
  });

  it("tolerates a trailing slash on the public URL", () => {
    expect(render({ publicUrl: `${PUBLIC_URL}/` })).toContain(`<link rel="canonical" href="${PUBLIC_URL}/nova-lane/midnight-static">`);
  });
});
