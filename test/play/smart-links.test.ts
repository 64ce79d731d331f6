import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { artists, smartLinks } from "../../src/db/schema/index";
import { registerJobs } from "../../src/jobs/register-jobs";
import { AppError } from "../../src/lib/errors";
import { isProviderError } from "../../src/lib/provider-error";
import { createSmartLink, importArtistCatalog, updateSmartLink, type SmartLink, type UpdateSmartLinkInput } from "../../src/modules/play/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";

const PITBULL = "0TnOYISbd1XYRBk9myaseg";
const GLOBAL_WARMING = "4aawyAB9vmqN3uQ7FjRGTy";
const GLOBAL_WARMING_TRACK = "6OmhkSOpvYBokMKQxpIGx2"; // "Global Warming (feat. Sensato)", track 1 of the album
const TIMBER_TRACK = "3cHyrEgdyYRjgJKSOiOtcS";
const TIMBER_SINGLE = "2xTimberSingle00000001";

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});

afterEach(async () => {
  await t.close();
});

const ctx = () => t.runtime.ctxFor({ kind: "cli" });

/** Pitbull's albums and singles as the catalog lists them (the emulator's seed may grow). */
async function pitbullReleases(): Promise<string[]> {
  const releases = (await t.runtime.music.catalog.listArtistReleases(PITBULL)).map((r) => r.id).sort();
  // The seed holds at least these; the import must cover whatever the catalog lists.
  expect(releases).toEqual(expect.arrayContaining([GLOBAL_WARMING, "1xGlobalWarmingDEedtn0", TIMBER_SINGLE]));
  return releases;
}
const db = () => t.runtime.database.db;

async function create(spotifyUrl: string, artistSlug?: string) {
  return createSmartLink({ ctx: ctx(), input: { spotifyUrl, ...(artistSlug ? { artistSlug } : {}) } });
}

async function createLink(spotifyUrl: string, artistSlug?: string) {
  const result = await create(spotifyUrl, artistSlug);
  if (result.kind !== "smart_link") throw new Error(`expected a smart link for ${spotifyUrl}, got ${result.kind}`);
  return result;
}

async function importJobs(): Promise<Array<{ id: string; state: string; data: Record<string, unknown> }>> {
  const result = await db().execute(sql`select id::text as id, state::text as state, data from pgboss.job where name = 'play.import-catalog' order by created_on`);
  return result.rows as Array<{ id: string; state: string; data: Record<string, unknown> }>;
}

/** Everything createSmartLink may write: artists, links, import jobs. */
async function written() {
  return {
    artists: await db().select().from(artists),
    links: await db().select().from(smartLinks),
    jobs: await importJobs(),
  };
}

/** Resolves once `parties` callers have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= parties) release();
    await all;
  };
}

type Barriers = Record<"artists" | "smartLinks", () => Promise<void>>;

/**
 * A ctx whose first `findFirst` on artists and on smart links waits at a barrier after
 * reading, so concurrent verbs all see "nothing there yet" before any of them inserts.
 */
function racingCtx(arrive: Barriers) {
  const base = ctx();
  const query = base.db.query;
  const waited = new Set<string>();
  const gate = <T>(table: keyof Barriers, find: () => PromiseLike<T>) => async () => {
    const found = await find();
    if (!waited.has(table)) {
      waited.add(table);
      await arrive[table]();
    }
    return found;
  };
  const racingQuery = new Proxy(query, {
    get(target, prop) {
      const table = Reflect.get(target, prop) as object;
      if (prop !== "artists" && prop !== "smartLinks") return table;
      return new Proxy(table, {
        get(inner, method) {
          const fn = Reflect.get(inner, method) as (...args: unknown[]) => PromiseLike<unknown>;
          if (method !== "findFirst") return typeof fn === "function" ? fn.bind(inner) : fn;
          return (...args: unknown[]) => gate(prop, () => fn.apply(inner, args))();
        },
      });
    },
  });
  const db = new Proxy(base.db, {
    get(target, prop) {
      if (prop === "query") return racingQuery;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...base, db };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
}

async function expectAppError(promise: Promise<unknown>, code: AppError["code"], field?: string): Promise<AppError> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(AppError);
  const appError = err as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (field !== undefined) expect(appError.field, appError.message).toBe(field);
  return appError;
}

describe("createSmartLink", () => {
  it("every URL and URI form of a release ends on that release's one link", async () => {
    const forms = [
      `https://open.spotify.com/album/${GLOBAL_WARMING}?si=3Kx9aQ2bRfS1`,
      `https://open.spotify.com/album/${GLOBAL_WARMING}`,
      `open.spotify.com/album/${GLOBAL_WARMING}/`,
      `  https://open.spotify.com/intl-de/album/${GLOBAL_WARMING}?si=abc&nd=1  `,
      `https://open.spotify.com/intl-pt-BR/album/${GLOBAL_WARMING}`,
      `https://open.spotify.com/embed/album/${GLOBAL_WARMING}?utm_source=generator&theme=0`,
      `https://open.spotify.com/intl-fr/embed/album/${GLOBAL_WARMING}`,
      `spotify:album:${GLOBAL_WARMING}`,
      `https://open.spotify.com/track/${GLOBAL_WARMING_TRACK}?si=e1f2a3b4c5`,
      `https://open.spotify.com/intl-ja/track/${GLOBAL_WARMING_TRACK}?si=x`,
      `https://open.spotify.com/embed/track/${GLOBAL_WARMING_TRACK}?utm_source=generator`,
      `spotify:track:${GLOBAL_WARMING_TRACK}`,
    ];
    const first = await createLink(forms[0]!);
    expect(first.status).toBe("created");
    expect(first.link).toMatchObject({ spotifyAlbumId: GLOBAL_WARMING, title: "Global Warming", releaseType: "album", slug: "global-warming", published: true });
    expect(first.artist).toMatchObject({ spotifyArtistId: PITBULL, name: "Pitbull", slug: "pitbull" });
    expect(first.link.services).toEqual([{ service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: false }]);
    expect(first.link.trackIds[0]).toBe(GLOBAL_WARMING_TRACK);

    for (const form of forms.slice(1)) {
      const again = await createLink(form);
      expect(again.status, form).toBe("existing");
      expect(again.link.id, form).toBe(first.link.id);
      expect(again.artist.id, form).toBe(first.artist.id);
    }
    const { artists: artistRows, links } = await written();
    expect(links.map((l) => l.spotifyAlbumId)).toEqual([GLOBAL_WARMING]);
    expect(artistRows.map((a) => a.spotifyArtistId)).toEqual([PITBULL]);
  }, 60_000);

  it("a track becomes its release's link: the single's link, the same one its album URL gives", async () => {
    const fromTrack = await createLink(`https://open.spotify.com/track/${TIMBER_TRACK}?si=abc`);
    expect(fromTrack.status).toBe("created");
    expect(fromTrack.link).toMatchObject({
      spotifyAlbumId: TIMBER_SINGLE,
      title: "Timber (feat. Ke$ha)",
      releaseType: "single",
      releaseDate: "2013-10-07",
      isrc: "USRC11301695",
      trackIds: [TIMBER_TRACK],
    });
    expect(fromTrack.artist.spotifyArtistId).toBe(PITBULL);

    const fromAlbum = await createLink(`spotify:album:${TIMBER_SINGLE}`);
    expect(fromAlbum.status).toBe("existing");
    expect(fromAlbum.link.id).toBe(fromTrack.link.id);
  });

  it("the same release twice answers `existing` with the same link", async () => {
    const a = await createLink(`spotify:album:${GLOBAL_WARMING}`);
    const b = await createLink(`https://open.spotify.com/album/${GLOBAL_WARMING}?si=other`);
    expect([a.status, b.status]).toEqual(["created", "existing"]);
    expect(b.link).toEqual(a.link);
    expect(await db().select().from(smartLinks)).toHaveLength(1);
  });

  it("two concurrent creates of one release (and its new artist) end on one artist and one link", async () => {
    const [a, b, c] = await Promise.all([
      createLink(`spotify:album:${GLOBAL_WARMING}`),
      createLink(`https://open.spotify.com/album/${GLOBAL_WARMING}?si=2`),
      createLink(`spotify:track:${GLOBAL_WARMING_TRACK}`),
    ]);
    expect(new Set([a.link.id, b.link.id, c.link.id]).size).toBe(1);
    expect(new Set([a.artist.id, b.artist.id, c.artist.id]).size).toBe(1);
    expect([a.status, b.status, c.status].filter((s) => s === "created")).toHaveLength(1);
    const { artists: artistRows, links } = await written();
    expect(links).toHaveLength(1);
    expect(artistRows).toHaveLength(1);
  });

  it("two creates that both find no link and both insert still end on one artist and one link (forced interleaving)", async () => {
    // Both creates look up the artist and the link, wait for each other, then both insert:
    // the unique keys decide, and the loser answers with the winner's row.
    const arrive = { artists: barrier(2), smartLinks: barrier(2) };
    const [a, b] = await Promise.all([
      createSmartLink({ ctx: racingCtx(arrive), input: { spotifyUrl: `spotify:album:${GLOBAL_WARMING}` } }),
      createSmartLink({ ctx: racingCtx(arrive), input: { spotifyUrl: `spotify:track:${GLOBAL_WARMING_TRACK}` } }),
    ]);
    if (a.kind !== "smart_link" || b.kind !== "smart_link") throw new Error("expected smart links");
    expect(a.link.id).toBe(b.link.id);
    expect(a.artist.id).toBe(b.artist.id);
    expect([a.status, b.status].sort()).toEqual(["created", "existing"]);
    const { artists: artistRows, links } = await written();
    expect(links).toHaveLength(1);
    expect(artistRows).toHaveLength(1);
  });

  it("a slug already taken under the artist gets a numbered suffix; reserved action slugs are never used; other artists are unaffected", async () => {
    const control = t.runtime.spotifyEmulator!.control;
    control.addRelease({ id: "5xGlobalWarmingDeluxe1", name: "Global Warming", releaseDate: "2013-03-01", artists: [{ id: PITBULL }], tracks: [{ id: "5xGlobalWarmingDlxTrk1", name: "Intro" }] });
    control.addRelease({ id: "5xPitbullSaveSingle001", name: "Save", releaseDate: "2014-01-01", artists: [{ id: PITBULL }], tracks: [{ id: "5xPitbullSaveTrack0001", name: "Save" }] });
    control.addRelease({ id: "5xDaftGlobalWarming001", name: "Global Warming", releaseDate: "2015-01-01", artists: [{ id: "4tZwfgrHOc3mvqYlEYSvVi" }], tracks: [{ id: "5xDaftGlobalWarmTrk001", name: "Heat" }] });

    const original = await createLink(`spotify:album:${GLOBAL_WARMING}`);
    const deluxe = await createLink("spotify:album:5xGlobalWarmingDeluxe1");
    const save = await createLink("spotify:album:5xPitbullSaveSingle001");
    const daft = await createLink("spotify:album:5xDaftGlobalWarming001");
    expect(original.link.slug).toBe("global-warming");
    expect(deluxe.status).toBe("created");
    expect(deluxe.link.slug).toBe("global-warming-2");
    expect(deluxe.link.id).not.toBe(original.link.id);
    expect(save.link.slug).toMatch(/^save-\d+$/);
    expect(daft.artist.slug).toBe("daft-punk");
    expect(daft.link.slug).toBe("global-warming");
  });

  it("puts the link under an existing artistSlug credited on the release (a feature counts); another artist's release, or an unknown artistSlug, writes nothing", async () => {
    const pitbull = await createLink(`spotify:album:${GLOBAL_WARMING}`);
    const kesha = await create("spotify:artist:6LqNN22kT3074XbTVUrhzX");
    if (kesha.kind !== "artist_hub") throw new Error("expected an artist hub");
    // Timber is Pitbull's single, featuring Kesha on its track: it may go on Kesha's hub.
    const underKesha = await createLink(`spotify:album:${TIMBER_SINGLE}`, kesha.artist.slug);
    expect(underKesha.link.artistId).toBe(kesha.artist.id);

    const before = await written();
    // Daft Punk's Discovery is not Pitbull's.
    const refused = await create("https://open.spotify.com/album/2noRn2Aes5aoNVsU6iWThc", pitbull.artist.slug).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect([(refused as AppError).code, (refused as AppError).message]).toEqual(["BAD_REQUEST", "spotifyUrl: This release is by Daft Punk, not Pitbull"]);
    await expectAppError(create(`spotify:album:${TIMBER_SINGLE}`, "no-such-artist"), "NOT_FOUND");
    expect(await written()).toEqual(before);
  });

  it("refuses what cannot become a smart link with BAD_REQUEST naming spotifyUrl, and writes nothing", async () => {
    const bad = [
      "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M?si=1",
      "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M",
      "https://open.spotify.com/user/spotify/playlist/37i9dQZF1DXcBWIGoYBM5M",
      "https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk",
      "https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ?si=x",
      "spotify:episode:512ojhOuo1ktJprKbVcKyQ",
      "spotify:show:4rOoJ6Egrf8K2IrywzwOMk",
      "spotify:local:Pitbull:Global+Warming:Timber:204",
      "https://open.spotify.com/local/Pitbull/Global%20Warming/Timber/204",
      "https://open.spotify.com/track/123",
      `https://open.spotify.com/album/${GLOBAL_WARMING}X`,
      "spotify:track:6OmhkSOpvYBokMKQxpIGx!",
      "spotify:album:",
      "https://open.spotify.com/album/",
      `https://artists.spotify.com/c/artist/${PITBULL}/home`,
      "https://spotify.link/ab1CdEf2Gh",
      "https://music.apple.com/us/album/global-warming/1445890427",
      `https://open.spotify.com.evil.example/album/${GLOBAL_WARMING}`,
      "",
      "   ",
      "not a link at all",
      `https://open.spotify.com/album/${GLOBAL_WARMING}?x=${"a".repeat(600)}`,
    ];
    for (const spotifyUrl of bad) {
      const err = await expectAppError(create(spotifyUrl), "BAD_REQUEST", "spotifyUrl");
      expect(err.message.startsWith("spotifyUrl"), spotifyUrl).toBe(true);
    }
    expect(await written()).toEqual({ artists: [], links: [], jobs: [] });
  });

  it("an id Spotify does not know gives the provider's not_found error and writes nothing", async () => {
    for (const spotifyUrl of [
      "spotify:album:0000000000000000000000",
      "https://open.spotify.com/track/0000000000000000000000?si=1",
      "https://open.spotify.com/artist/0000000000000000000000",
    ]) {
      const err = await rejection(create(spotifyUrl));
      expect(isProviderError(err, "not_found"), `${spotifyUrl}: ${String(err)}`).toBe(true);
    }
    expect(await written()).toEqual({ artists: [], links: [], jobs: [] });
  });
});

describe("artist URLs and the catalog import", () => {
  it("an artist URL creates the artist hub and enqueues play.import-catalog; the import makes one link per release, idempotently", async () => {
    const result = await create(`https://open.spotify.com/intl-es/artist/${PITBULL}?si=abc`);
    if (result.kind !== "artist_hub") throw new Error("expected an artist hub");
    expect(result.status).toBe("created");
    expect(result.artist).toMatchObject({ spotifyArtistId: PITBULL, slug: "pitbull", name: "Pitbull", hubPublished: true, catalogImportedAt: null });
    expect(result.importJobId).toEqual(expect.any(String));
    const jobs = await importJobs();
    expect(jobs).toEqual([{ id: result.importJobId, state: "created", data: { artistId: result.artist.id } }]);
    expect(await db().select().from(smartLinks)).toHaveLength(0);

    // A release linked before the import is reused, not duplicated.
    const before = await createLink(`spotify:album:${GLOBAL_WARMING}`);
    expect(before.artist.id).toBe(result.artist.id);

    const releases = await pitbullReleases();
    t.clock.advance(60_000);
    expect(await importArtistCatalog({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { artistId: result.artist.id } })).toEqual({ created: releases.length - 1, existing: 1 });
    const links = await db().select().from(smartLinks);
    expect(links.map((l) => l.spotifyAlbumId).sort()).toEqual(releases);
    expect(links.every((l) => l.artistId === result.artist.id)).toBe(true);
    expect(links.find((l) => l.spotifyAlbumId === GLOBAL_WARMING)!.id).toBe(before.link.id);
    const [artist] = await db().select().from(artists).where(eq(artists.id, result.artist.id));
    expect(artist!.catalogImportedAt).toEqual(t.clock.now());

    // Run again (a retried job): nothing new.
    expect(await importArtistCatalog({ ctx: t.runtime.ctxFor({ kind: "system" }), input: { artistId: result.artist.id } })).toEqual({ created: 0, existing: releases.length });
    expect(await db().select().from(smartLinks)).toHaveLength(releases.length);

    // The same artist URL again: the existing hub.
    const again = await create(`spotify:artist:${PITBULL}`);
    expect(again).toMatchObject({ kind: "artist_hub", status: "existing", artist: { id: result.artist.id } });
    expect(await db().select().from(artists)).toHaveLength(1);
  });

  it("pg-boss works the import job end to end: the worker creates the links, and a second job adds no duplicates", async () => {
    await registerJobs(t.runtime.boss, { ctxFor: () => t.runtime.ctxFor({ kind: "system" }) });
    const result = await create(`https://open.spotify.com/artist/${PITBULL}`);
    if (result.kind !== "artist_hub" || !result.importJobId) throw new Error("expected an artist hub with an import job");

    const completed = async (jobId: string) =>
      vi.waitFor(
        async () => {
          const job = await t.runtime.boss.getJobById("play.import-catalog", jobId);
          expect(job?.state).toBe("completed");
        },
        { timeout: 40_000, interval: 100 },
      );
    await completed(result.importJobId);
    const releases = await pitbullReleases();
    const links = await db().select().from(smartLinks);
    expect(links.map((l) => l.spotifyAlbumId).sort()).toEqual(releases);
    expect(new Set(links.map((l) => l.slug)).size).toBe(releases.length);

    const second = await t.runtime.jobs.send("play.import-catalog", { artistId: result.artist.id });
    expect(second).toEqual(expect.any(String));
    await completed(second!);
    const after = await db().select().from(smartLinks);
    expect(after.map((l) => l.id).sort()).toEqual(links.map((l) => l.id).sort());
  }, 90_000);
});

describe("updateSmartLink", () => {
  let link: SmartLink;

  beforeEach(async () => {
    link = (await createLink(`spotify:album:${GLOBAL_WARMING}`)).link;
    t.clock.advance(1_000);
  });

  const update = (input: Omit<UpdateSmartLinkInput, "linkId">) => updateSmartLink({ ctx: ctx(), input: { linkId: link.id, ...input } });
  const stored = async () => (await db().select().from(smartLinks).where(eq(smartLinks.id, link.id)))[0]!;

  it("stores valid services in the given order with their hidden flags, and the other fields", async () => {
    const services = [
      { service: "apple_music", url: "https://music.apple.com/us/album/global-warming/1445890427?app=music", hidden: false },
      { service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: true },
      { service: "deezer", url: "https://www.deezer.com/album/5836641", hidden: false },
      { service: "bandcamp", url: "https://pitbull.bandcamp.com/album/global-warming", hidden: true },
      { service: "amazon_music", url: "https://music.amazon.co.uk/albums/B00A2Y2JOU", hidden: false },
      { service: "youtube_music", url: "https://music.youtube.com/browse/MPREb_abc" },
    ];
    const updated = await update({ services, theme: "aurora", pixels: { meta: "123456789012345", google: "AW-123_abc" }, description: "  New album out now.  " });
    const expected = services.map((s) => ({ ...s, hidden: s.hidden ?? false }));
    expect(updated.services).toEqual(expected);
    expect(updated).toMatchObject({ theme: "aurora", pixels: { meta: "123456789012345", google: "AW-123_abc" }, description: "New album out now." });
    expect(updated.updatedAt).toEqual(t.clock.now());
    expect(await stored()).toEqual(updated);

    // Re-ordering is kept too.
    const reordered = await update({ services: [...expected].reverse() });
    expect(reordered.services.map((s) => s.service)).toEqual(["youtube_music", "amazon_music", "bandcamp", "deezer", "spotify", "apple_music"]);
  });

  it("refuses bad service lists with BAD_REQUEST naming the field, and changes nothing", async () => {
    const ok = { service: "spotify", url: `https://open.spotify.com/album/${GLOBAL_WARMING}`, hidden: false };
    const cases: Array<[string, Array<{ service: string; url: string; hidden?: boolean }>, string]> = [
      ["wrong host", [ok, { service: "apple_music", url: "https://evil.example/us/album/1" }], "services.1.url"],
      ["look-alike host", [{ service: "apple_music", url: "https://music.apple.com.evil.example/us/album/1" }], "services.0.url"],
      ["another service's host", [{ service: "deezer", url: "https://music.apple.com/us/album/1" }], "services.0.url"],
      ["spotify off its host", [{ service: "spotify", url: "https://spotify.evil.example/album/x" }], "services.0.url"],
      ["bandcamp host suffix trick", [{ service: "bandcamp", url: "https://evil.example/?.bandcamp.com" }], "services.0.url"],
      ["http", [{ service: "tidal", url: "http://tidal.com/album/1" }], "services.0.url"],
      ["javascript:", [{ service: "deezer", url: "javascript:alert(1)//www.deezer.com" }], "services.0.url"],
      ["credentials", [{ service: "apple_music", url: "https://user:pass@music.apple.com/us/album/1" }], "services.0.url"],
      ["userinfo host trick", [{ service: "spotify", url: "https://open.spotify.com@evil.example/album/x" }], "services.0.url"],
      ["port", [{ service: "soundcloud", url: "https://soundcloud.com:8443/pitbull" }], "services.0.url"],
      ["not a URL", [{ service: "tidal", url: "tidal album 1" }], "services.0.url"],
      ["too long", [{ service: "tidal", url: `https://tidal.com/album/${"1".repeat(2100)}` }], "services.0.url"],
      ["unknown service", [ok, { service: "napster", url: "https://napster.com/album/1" }], "services.1.service"],
      ["prototype key as service", [{ service: "constructor", url: "https://example.com/" }], "services.0.service"],
      ["duplicate service", [ok, { service: "deezer", url: "https://www.deezer.com/album/1" }, { ...ok, hidden: true }], "services.2.service"],
    ];
    const before = await stored();
    for (const [name, services, field] of cases) {
      const err = await expectAppError(update({ services }), "BAD_REQUEST", field);
      expect(err.message, name).toContain(field);
      expect(await stored(), name).toEqual(before);
    }
    await expectAppError(update({ services: Array.from({ length: 17 }, () => ok) }), "BAD_REQUEST", "services");
    expect(await stored()).toEqual(before);
  });

  it("accepts only the known themes", async () => {
    const before = await stored();
    for (const theme of ["neon", "", "Classic", "<b>"]) {
      await expectAppError(update({ theme: theme as "classic" }), "BAD_REQUEST", "theme");
    }
    expect(await stored()).toEqual(before);
    expect((await update({ theme: "brutalist" })).theme).toBe("brutalist");
  });

  it("pixel ids must be plain ids of at most 32 characters: script or longer ids are refused and nothing changes", async () => {
    await update({ pixels: { meta: "111" } });
    const before = await stored();
    const cases: Array<[Record<string, string>, string]> = [
      [{ meta: "<script>alert(1)</script>" }, "pixels.meta"],
      [{ google: "AW-1\"><script>alert(1)</script>" }, "pixels.google"],
      [{ tiktok: "A".repeat(33) }, "pixels.tiktok"],
      [{ reddit: "t2_abc def" }, "pixels.reddit"],
      [{ reddit: "" }, "pixels.reddit"],
      [{ snapchat: "123" }, "pixels"],
    ];
    for (const [pixels, field] of cases) {
      await expectAppError(update({ pixels: pixels as Record<string, string> }), "BAD_REQUEST", field);
      expect(await stored(), JSON.stringify(pixels)).toEqual(before);
    }
    const max = "A".repeat(32);
    expect((await update({ pixels: { tiktok: max, reddit: "t2_ab-C9" } })).pixels).toEqual({ tiktok: max, reddit: "t2_ab-C9" });
  });

  it("a description over 500 characters is refused; 500 is fine; null clears it", async () => {
    const before = await stored();
    await expectAppError(update({ description: "x".repeat(501) }), "BAD_REQUEST", "description");
    expect(await stored()).toEqual(before);
    expect((await update({ description: "y".repeat(500) })).description).toBe("y".repeat(500));
    expect((await update({ description: null })).description).toBeNull();
  });

  it("an unknown link is NOT_FOUND", async () => {
    await expectAppError(updateSmartLink({ ctx: ctx(), input: { linkId: "lnk_nope", theme: "aurora" } }), "NOT_FOUND");
  });

  it("a stale expectedUpdatedAt is a CONFLICT and changes nothing; the fresh one succeeds", async () => {
    const seen = (await stored()).updatedAt.toISOString();
    const first = await update({ expectedUpdatedAt: seen, description: "first editor" });
    t.clock.advance(1_000);
    const before = await stored();
    expect(before.description).toBe("first editor");

    await expectAppError(update({ expectedUpdatedAt: seen, description: "second editor", theme: "cinematic" }), "CONFLICT");
    expect(await stored()).toEqual(before);

    const fresh = await update({ expectedUpdatedAt: first.updatedAt.toISOString(), description: "second editor" });
    expect(fresh.description).toBe("second editor");
  });

  it("two edits within one clock millisecond still detect the stale one", async () => {
    // The fake clock stands still from here: a version is saved, two editors load it, and
    // both save within the same millisecond (or on nodes whose clocks disagree).
    await update({ description: "loaded version" });
    const seen = (await stored()).updatedAt.toISOString();
    await update({ expectedUpdatedAt: seen, description: "first editor" });
    const before = await stored();
    expect(before.updatedAt.toISOString()).not.toBe(seen);
    await expectAppError(update({ expectedUpdatedAt: seen, description: "second editor" }), "CONFLICT");
    expect(await stored()).toEqual(before);
  });
});
