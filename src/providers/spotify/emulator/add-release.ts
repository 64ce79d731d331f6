import type { AlbumType, SeedArtist, SeedImage, SeedRelease } from "./catalog";
import type { EmulatorState } from "./create-emulator-state";
import { EmulatorInputError } from "./emulator-input-error";

const BASE62_ID = /^[0-9A-Za-z]{22}$/;

export interface AddReleaseInput {
  id: string;
  name: string;
  albumType?: AlbumType;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (UTC). A future day makes it an upcoming release. */
  releaseDate: string;
  /** Artists; unknown ones are created from `name`. */
  artists: Array<{ id: string; name?: string }>;
  label?: string;
  upc?: string | null;
  images?: SeedImage[];
  tracks: Array<{
    id: string;
    name: string;
    /** Milliseconds. */
    durationMs?: number;
    isrc?: string | null;
    explicit?: boolean;
    /** Defaults to the release's artists. */
    artistIds?: string[];
  }>;
}

function precisionOf(date: string): SeedRelease["releaseDatePrecision"] {
  if (/^\d{4}$/.test(date)) return "year";
  if (/^\d{4}-\d{2}$/.test(date)) return "month";
  if (/^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return "day";
  throw new EmulatorInputError("releaseDate must be YYYY, YYYY-MM or YYYY-MM-DD");
}

/** Adds (or replaces) a release in the emulated catalog at runtime. */
export function addRelease(state: EmulatorState, input: AddReleaseInput): SeedRelease {
  const ids = [input.id, ...input.artists.map((a) => a.id), ...input.tracks.map((t) => t.id)];
  const bad = ids.find((id) => !BASE62_ID.test(id));
  if (bad !== undefined) throw new EmulatorInputError(`not a 22-character base62 Spotify id: ${bad}`);
  if (input.artists.length === 0 || input.tracks.length === 0) throw new EmulatorInputError("a release needs artists and tracks");
  const precision = precisionOf(input.releaseDate);

  for (const a of input.artists) {
    if (state.artists.has(a.id)) continue;
    if (!a.name) throw new EmulatorInputError(`artist ${a.id} is unknown: give its name`);
    const artist: SeedArtist = { id: a.id, name: a.name, genres: [], images: [], followers: 0, popularity: 0 };
    state.artists.set(a.id, artist);
  }
  const artistIds = input.artists.map((a) => a.id);
  const release: SeedRelease = {
    id: input.id,
    name: input.name,
    albumType: input.albumType ?? (input.tracks.length > 3 ? "album" : "single"),
    releaseDate: input.releaseDate,
    releaseDatePrecision: precision,
    artistIds,
    label: input.label ?? "Independent",
    upc: input.upc ?? null,
    images: input.images ?? [],
    copyrights: [],
    popularity: 0,
    tracks: input.tracks.map((t) => ({
      id: t.id,
      name: t.name,
      artistIds: t.artistIds ?? artistIds,
      durationMs: t.durationMs ?? 180_000,
      explicit: t.explicit ?? false,
      isrc: t.isrc ?? null,
    })),
  };
  const previous = state.albums.get(release.id);
  previous?.tracks.forEach((t) => state.tracks.delete(t.id));
  state.albums.set(release.id, release);
  release.tracks.forEach((track, i) => state.tracks.set(track.id, { track, albumId: release.id, trackNumber: i + 1 }));
  return release;
}
