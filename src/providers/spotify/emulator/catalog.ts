/**
 * Seed catalog of the Spotify emulator: real public release metadata, so ids and names
 * look like what Backbeat meets in production.
 *
 * Provenance (checked with public copies of Spotify's documentation examples and API
 * responses quoted in public code, 2026):
 * - VERIFIED: the id/name pair (and, where given, ISRC, duration, release date, images)
 *   appears verbatim in a Spotify documentation example or a captured API response.
 * - MEMORY: a real public id recalled from open.spotify.com pages, not re-checked here.
 * - ILLUSTRATIVE: made up for the emulator (well-formed base62, not a real Spotify id).
 * ISRCs/UPCs not marked VERIFIED are illustrative.
 */

export interface SeedImage {
  url: string;
  /** Pixels, or null when unknown. */
  width: number | null;
  height: number | null;
}

export interface SeedArtist {
  id: string;
  name: string;
  genres: string[];
  images: SeedImage[];
  followers: number;
  /** 0–100. */
  popularity: number;
}

export interface SeedTrack {
  id: string;
  name: string;
  artistIds: string[];
  /** Milliseconds. */
  durationMs: number;
  explicit: boolean;
  isrc: string | null;
  discNumber?: number;
  popularity?: number;
  /** ISO 3166-1 alpha-2 markets where this track id is not playable. */
  unavailableIn?: string[];
  /** Track relinking: in `unavailableIn` markets a lookup answers with this track and `linked_from`. */
  relinkedTo?: string;
}

export type AlbumType = "album" | "single" | "compilation";

export interface SeedRelease {
  id: string;
  name: string;
  albumType: AlbumType;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  releaseDate: string;
  releaseDatePrecision: "year" | "month" | "day";
  artistIds: string[];
  label: string;
  upc: string | null;
  images: SeedImage[];
  copyrights: Array<{ text: string; type: "C" | "P" }>;
  popularity: number;
  tracks: SeedTrack[];
  /** True for the clearly-labelled demo release that does not exist on Spotify. */
  demo?: boolean;
}

export interface SeedCatalog {
  artists: SeedArtist[];
  releases: SeedRelease[];
}

const DAY_MS = 86_400_000;

/** Pitbull's artist id (VERIFIED). */
const PITBULL = "0TnOYISbd1XYRBk9myaseg";

/**
 * Ids of the demo "upcoming" release, exported so tests and seeds can refer to it. The
 * release is ILLUSTRATIVE (filed under Pitbull, VERIFIED id, so the demo artist hub holds
 * it); the album and track ids are made up.
 */
export const DEMO_UPCOMING = {
  artistId: PITBULL,
  albumId: "0BackbeatDemoUpcoming1",
  trackIds: ["0BackbeatDemoTrack0001", "0BackbeatDemoTrack0002"],
  /** Days after the emulator clock's start. */
  releaseAfterDays: 14,
} as const;

/** A track id that is relinked in Germany (see `SeedTrack.relinkedTo`). ILLUSTRATIVE. */
export const RELINKED_TRACK = { requestedId: "1xRelinkFeelThisMomDE0", market: "DE", servedId: "4yOn1TEcfsKHUJCL2h1r8I" } as const;

/**
 * The seed catalog. `start` is the emulator clock's start: the demo upcoming release is
 * dated `start + 14 days` (UTC day), like a Spotify Countdown Page.
 */
export function buildSeedCatalog(start: Date): SeedCatalog {
  const upcomingDate = new Date(start.getTime() + DEMO_UPCOMING.releaseAfterDays * DAY_MS).toISOString().slice(0, 10);

  const artists: SeedArtist[] = [
    // VERIFIED ids and names (Spotify docs examples / captured responses).
    { id: PITBULL, name: "Pitbull", genres: ["dance pop", "miami hip hop", "pop"], images: [], followers: 10_000_000, popularity: 85 },
    { id: "6sFIWsNpZYqfjUpaCgueju", name: "Carly Rae Jepsen", genres: ["canadian pop", "dance pop", "pop"], images: [], followers: 4_000_000, popularity: 70 },
    { id: "4tZwfgrHOc3mvqYlEYSvVi", name: "Daft Punk", genres: ["electro", "filter house", "french house"], images: [], followers: 9_000_000, popularity: 80 },
    // Featured artists on the Global Warming tracks (VERIFIED, from the same captured response).
    { id: "7iJrDbKM5fEkGdm5kpjFzS", name: "Sensato", genres: [], images: [], followers: 10_000, popularity: 30 },
    { id: "2L8yW8GIoirHEdeW4bWQXq", name: "TJR", genres: [], images: [], followers: 50_000, popularity: 40 },
    { id: "1l7ZsJRRS8wlW3WfJfPfNS", name: "Christina Aguilera", genres: ["dance pop", "pop"], images: [], followers: 8_000_000, popularity: 75 },
    { id: "7bXgB6jMjp9ATFy66eO08Z", name: "Chris Brown", genres: ["r&b"], images: [], followers: 15_000_000, popularity: 85 },
    // MEMORY: Ke$ha's artist id on open.spotify.com.
    { id: "6LqNN22kT3074XbTVUrhzX", name: "Kesha", genres: ["dance pop", "pop"], images: [], followers: 6_000_000, popularity: 72 },
  ];

  const releases: SeedRelease[] = [
    {
      // VERIFIED: album id, name, artist and the eight track ids/names/durations below.
      id: "4aawyAB9vmqN3uQ7FjRGTy",
      name: "Global Warming",
      albumType: "album",
      releaseDate: "2012-11-16",
      releaseDatePrecision: "day",
      artistIds: ["0TnOYISbd1XYRBk9myaseg"],
      label: "Mr.305/Polo Grounds Music/RCA Records",
      upc: "886443671584", // ILLUSTRATIVE
      images: [],
      copyrights: [
        { text: "(P) 2012 RCA Records, a division of Sony Music Entertainment", type: "P" },
      ],
      popularity: 60,
      tracks: [
        { id: "6OmhkSOpvYBokMKQxpIGx2", name: "Global Warming (feat. Sensato)", artistIds: ["0TnOYISbd1XYRBk9myaseg", "7iJrDbKM5fEkGdm5kpjFzS"], durationMs: 85_400, explicit: true, isrc: "USRC11201101" },
        { id: "2iblMMIgSznA464mNov7A8", name: "Don't Stop the Party (feat. TJR)", artistIds: ["0TnOYISbd1XYRBk9myaseg", "2L8yW8GIoirHEdeW4bWQXq"], durationMs: 206_120, explicit: false, isrc: "USRC11201102" },
        { id: "4yOn1TEcfsKHUJCL2h1r8I", name: "Feel This Moment (feat. Christina Aguilera)", artistIds: ["0TnOYISbd1XYRBk9myaseg", "1l7ZsJRRS8wlW3WfJfPfNS"], durationMs: 229_506, explicit: false, isrc: "USRC11201103" },
        { id: "7fmpKF0rLGPnP7kcQ5ZMm7", name: 'Back in Time - featured in "Men In Black 3"', artistIds: ["0TnOYISbd1XYRBk9myaseg"], durationMs: 207_440, explicit: false, isrc: "USRC11201104" },
        { id: "3jStb2imKd6oUoBT1zq5lp", name: "Hope We Meet Again (feat. Chris Brown)", artistIds: ["0TnOYISbd1XYRBk9myaseg", "7bXgB6jMjp9ATFy66eO08Z"], durationMs: 221_133, explicit: false, isrc: "USRC11201105" },
      ],
    },
    {
      // ILLUSTRATIVE album id; a regional edition used to demonstrate track relinking.
      id: "1xGlobalWarmingDEedtn0",
      name: "Global Warming (DE Edition)",
      albumType: "album",
      releaseDate: "2012-11-16",
      releaseDatePrecision: "day",
      artistIds: ["0TnOYISbd1XYRBk9myaseg"],
      label: "Mr.305/Polo Grounds Music/RCA Records",
      upc: "886443671591", // ILLUSTRATIVE
      images: [],
      copyrights: [{ text: "(P) 2012 RCA Records", type: "P" }],
      popularity: 20,
      tracks: [
        {
          id: RELINKED_TRACK.requestedId,
          name: "Feel This Moment (feat. Christina Aguilera)",
          artistIds: ["0TnOYISbd1XYRBk9myaseg", "1l7ZsJRRS8wlW3WfJfPfNS"],
          durationMs: 229_506,
          explicit: false,
          isrc: "USRC11201103",
          unavailableIn: [RELINKED_TRACK.market],
          relinkedTo: RELINKED_TRACK.servedId,
        },
      ],
    },
    {
      // Single "Timber": track id MEMORY, album id ILLUSTRATIVE.
      id: "2xTimberSingle00000001",
      name: "Timber (feat. Ke$ha)",
      albumType: "single",
      releaseDate: "2013-10-07",
      releaseDatePrecision: "day",
      artistIds: ["0TnOYISbd1XYRBk9myaseg"],
      label: "Mr.305/Polo Grounds Music/RCA Records",
      upc: "886444286565", // ILLUSTRATIVE
      images: [],
      copyrights: [{ text: "(P) 2013 RCA Records, a division of Sony Music Entertainment", type: "P" }],
      popularity: 70,
      tracks: [
        { id: "3cHyrEgdyYRjgJKSOiOtcS", name: "Timber (feat. Ke$ha)", artistIds: ["0TnOYISbd1XYRBk9myaseg", "6LqNN22kT3074XbTVUrhzX"], durationMs: 204_160, explicit: false, isrc: "USRC11301695" },
      ],
    },
    {
      // VERIFIED: album id, name, date; track 11dFghVXANMlKmJXsNCbNl with ISRC USUM71703861, 207959 ms.
      // Its real cover is on i.scdn.co, but the emulator serves its own artwork for every
      // release so demos and tests never reach Spotify's CDN (offline-safe).
      id: "0tGPJ0bkWOUmH7MEOR77qc",
      name: "Cut To The Feeling",
      albumType: "single",
      releaseDate: "2017-05-26",
      releaseDatePrecision: "day",
      artistIds: ["6sFIWsNpZYqfjUpaCgueju"],
      label: "School Boy/Interscope Records",
      upc: "00602557679536", // ILLUSTRATIVE
      images: [],
      copyrights: [{ text: "© 2017 School Boy/Interscope Records", type: "C" }],
      popularity: 55,
      tracks: [
        { id: "11dFghVXANMlKmJXsNCbNl", name: "Cut To The Feeling", artistIds: ["6sFIWsNpZYqfjUpaCgueju"], durationMs: 207_959, explicit: false, isrc: "USUM71703861" },
      ],
    },
    {
      // "E•MO•TION": album and track ids ILLUSTRATIVE (names and date are the real release's).
      id: "3xEmotionAlbum00000001",
      name: "E•MO•TION",
      albumType: "album",
      releaseDate: "2015-08-21",
      releaseDatePrecision: "day",
      artistIds: ["6sFIWsNpZYqfjUpaCgueju"],
      label: "School Boy/Interscope Records",
      upc: "00602547404544", // ILLUSTRATIVE
      images: [],
      copyrights: [{ text: "© 2015 School Boy/Interscope Records", type: "C" }],
      popularity: 60,
      tracks: [
        { id: "3xRunAwayWithMe0000001", name: "Run Away With Me", artistIds: ["6sFIWsNpZYqfjUpaCgueju"], durationMs: 251_266, explicit: false, isrc: "USUM71507801" },
        { id: "3xEmotionTrack00000002", name: "Emotion", artistIds: ["6sFIWsNpZYqfjUpaCgueju"], durationMs: 197_000, explicit: false, isrc: "USUM71507802" },
        { id: "3xIReallyLikeYou000003", name: "I Really Like You", artistIds: ["6sFIWsNpZYqfjUpaCgueju"], durationMs: 204_706, explicit: false, isrc: "USUM71502063" },
      ],
    },
    {
      // Album id VERIFIED (docs' "several albums" example); track ids MEMORY.
      id: "2noRn2Aes5aoNVsU6iWThc",
      name: "Discovery",
      albumType: "album",
      releaseDate: "2001-03-12",
      releaseDatePrecision: "day",
      artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"],
      label: "Parlophone (France)",
      upc: "724384960650", // ILLUSTRATIVE (EAN-like)
      images: [],
      copyrights: [{ text: "(P) 2001 Daft Life Ltd./ADA France", type: "P" }],
      popularity: 75,
      tracks: [
        { id: "0DiWol3AO6WpXZgp0goxAV", name: "One More Time", artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"], durationMs: 320_357, explicit: false, isrc: "GBDUW0000053" },
        { id: "2VEZx7NWsZ1D0eJ4uv5Fym", name: "Digital Love", artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"], durationMs: 301_373, explicit: false, isrc: "GBDUW0000055" },
        { id: "5W3cjX2J3tjhG8zb6u0qHn", name: "Harder, Better, Faster, Stronger", artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"], durationMs: 224_693, explicit: false, isrc: "GBDUW0000056" },
      ],
    },
    {
      // Album id MEMORY (appears in public URI-parsing tests); track ids MEMORY.
      id: "4m2880jivSbbyEGAKfITCa",
      name: "Random Access Memories",
      albumType: "album",
      releaseDate: "2013-05-20",
      releaseDatePrecision: "day",
      artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"],
      label: "Columbia",
      upc: "886443919266", // ILLUSTRATIVE
      images: [],
      copyrights: [{ text: "(P) 2013 Daft Life Limited under exclusive license to Columbia Records", type: "P" }],
      popularity: 78,
      tracks: [
        { id: "2cGxRwrMyEAp8dEbuZaVv6", name: "Instant Crush (feat. Julian Casablancas)", artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"], durationMs: 337_560, explicit: false, isrc: "USQX91300105" },
        { id: "5CMjjywI0eZMixPeqNd75R", name: "Lose Yourself to Dance (feat. Pharrell Williams)", artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"], durationMs: 353_893, explicit: false, isrc: "USQX91300106" },
        { id: "69kOkLUCkxIZYexIgSG8rq", name: "Get Lucky (feat. Pharrell Williams and Nile Rodgers)", artistIds: ["4tZwfgrHOc3mvqYlEYSvVi"], durationMs: 369_626, explicit: false, isrc: "USQX91300108" },
      ],
    },
    {
      // ILLUSTRATIVE: a made-up Pitbull release that exists only in the emulator, for
      // pre-save demos; Pitbull never released it, and its title says it is a demo.
      // Lookups work before release day (like a Countdown Page); saving answers 404 until then.
      id: DEMO_UPCOMING.albumId,
      name: "Countdown (Backbeat demo pre-release)",
      albumType: "single",
      releaseDate: upcomingDate,
      releaseDatePrecision: "day",
      artistIds: [DEMO_UPCOMING.artistId],
      label: "Backbeat Demo Records",
      upc: "000000000017", // ILLUSTRATIVE
      images: [],
      copyrights: [{ text: "(P) Backbeat demo", type: "P" }],
      popularity: 0,
      demo: true,
      tracks: [
        { id: DEMO_UPCOMING.trackIds[0], name: "Countdown", artistIds: [DEMO_UPCOMING.artistId], durationMs: 180_000, explicit: false, isrc: "QZDEM2600001" },
        { id: DEMO_UPCOMING.trackIds[1], name: "Release Day", artistIds: [DEMO_UPCOMING.artistId], durationMs: 200_000, explicit: false, isrc: "QZDEM2600002" },
      ],
    },
  ];

  return { artists, releases };
}
