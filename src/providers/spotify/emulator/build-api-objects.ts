import type { SeedRelease } from "./catalog";
import { imagesOf } from "./image-routes";
import { isReleased } from "./is-released";
import type { EmulatedDevice, EmulatedFan, EmulatorState, IndexedTrack, PlayRecord } from "./create-emulator-state";

/** Markets the seed catalog is available in (a subset of Spotify's). */
export const MARKETS = ["AR", "AT", "AU", "BE", "BR", "CA", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "JP", "MX", "NL", "NO", "NZ", "PL", "PT", "SE", "US"];

type Json = Record<string, unknown>;

export interface PageInput<T> {
  /** Path below `/v1`, e.g. `/albums/{id}/tracks`. */
  path: string;
  items: T[];
  limit: number;
  offset: number;
  total: number;
  /** Extra query parameters echoed in `href`/`next`/`previous`. */
  query?: Record<string, string>;
}

export interface TrackResolution {
  served: IndexedTrack;
  /** The requested track when relinking replaced it. */
  linkedFrom: IndexedTrack | null;
}

/**
 * Builds Web API JSON objects (TrackObject, AlbumObject, …) from emulator state, with the
 * development-mode field removals of February 2026 applied.
 */
export function buildApiObjects(state: EmulatorState) {
  const { publicUrl, basePath, quotaMode } = state.options;
  const extended = quotaMode === "extended";
  const api = (path: string): string => `${publicUrl}${basePath}/v1${path}`;
  const open = (type: string, id: string): { spotify: string } => ({ spotify: `https://open.spotify.com/${type}/${id}` });
  const now = (): Date => state.options.clock.now();

  const qs = (params: Record<string, string>): string =>
    Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ",").replace(/%3A/g, ":")}`)
      .join("&");

  function page<T>(input: PageInput<T>): Json {
    const link = (offset: number): string => `${api(input.path)}?${qs({ offset: String(offset), limit: String(input.limit), ...(input.query ?? {}) })}`;
    return {
      href: link(input.offset),
      items: input.items,
      limit: input.limit,
      next: input.offset + input.limit < input.total ? link(input.offset + input.limit) : null,
      offset: input.offset,
      previous: input.offset > 0 ? link(Math.max(0, input.offset - input.limit)) : null,
      total: input.total,
    };
  }

  function simplifiedArtist(id: string): Json {
    const a = state.artists.get(id);
    return { external_urls: open("artist", id), href: api(`/artists/${id}`), id, name: a?.name ?? "", type: "artist", uri: `spotify:artist:${id}` };
  }

  function artist(id: string): Json {
    const a = state.artists.get(id);
    if (!a) throw new Error(`unknown artist ${id}`);
    return {
      external_urls: open("artist", id),
      ...(extended ? { followers: { href: null, total: a.followers } } : {}),
      genres: a.genres,
      href: api(`/artists/${id}`),
      id,
      images: imagesOf(state, id, a.images),
      name: a.name,
      ...(extended ? { popularity: a.popularity } : {}),
      type: "artist",
      uri: `spotify:artist:${id}`,
    };
  }

  function simplifiedAlbum(release: SeedRelease): Json {
    return {
      album_type: release.albumType,
      total_tracks: release.tracks.length,
      ...(extended ? { available_markets: MARKETS } : {}),
      external_urls: open("album", release.id),
      href: api(`/albums/${release.id}`),
      id: release.id,
      images: imagesOf(state, release.id, release.images),
      name: release.name,
      release_date: release.releaseDate,
      release_date_precision: release.releaseDatePrecision,
      type: "album",
      uri: `spotify:album:${release.id}`,
      artists: release.artistIds.map(simplifiedArtist),
    };
  }

  /** Relinking applies only when a market is given (Spotify's rule). */
  function resolveTrack(id: string, market: string | null): TrackResolution | null {
    const requested = state.tracks.get(id);
    if (!requested) return null;
    if (market && requested.track.unavailableIn?.includes(market) && requested.track.relinkedTo) {
      const served = state.tracks.get(requested.track.relinkedTo);
      if (served) return { served, linkedFrom: requested };
    }
    return { served: requested, linkedFrom: null };
  }

  function simplifiedTrack(resolution: TrackResolution, market: string | null): Json {
    const { served, linkedFrom } = resolution;
    const t = served.track;
    const release = state.albums.get(served.albumId);
    const playable = !(market && t.unavailableIn?.includes(market)) && (release ? isReleased(release, now()) : true);
    return {
      artists: t.artistIds.map(simplifiedArtist),
      ...(extended && !market ? { available_markets: MARKETS.filter((m) => !t.unavailableIn?.includes(m)) } : {}),
      disc_number: t.discNumber ?? 1,
      duration_ms: t.durationMs,
      explicit: t.explicit,
      external_urls: open("track", t.id),
      href: api(`/tracks/${t.id}`),
      id: t.id,
      ...(market ? { is_playable: playable } : {}),
      ...(linkedFrom
        ? {
            linked_from: {
              external_urls: open("track", linkedFrom.track.id),
              href: api(`/tracks/${linkedFrom.track.id}`),
              id: linkedFrom.track.id,
              type: "track",
              uri: `spotify:track:${linkedFrom.track.id}`,
            },
          }
        : {}),
      name: t.name,
      preview_url: null,
      track_number: served.trackNumber,
      type: "track",
      uri: `spotify:track:${t.id}`,
      is_local: false,
    };
  }

  function track(resolution: TrackResolution, market: string | null): Json {
    const release = state.albums.get(resolution.served.albumId);
    const t = resolution.served.track;
    return {
      ...simplifiedTrack(resolution, market),
      ...(release ? { album: simplifiedAlbum(release) } : {}),
      external_ids: t.isrc ? { isrc: t.isrc } : {},
      ...(extended ? { popularity: t.popularity ?? release?.popularity ?? 0 } : {}),
    };
  }

  /** What Spotify returns for a local file in play history: no ids, `is_local: true`. */
  function localTrack(play: PlayRecord): Json {
    const name = play.localName ?? "Local file";
    return {
      album: { album_type: null, artists: [], external_urls: {}, href: null, id: null, images: [], name: "", release_date: null, release_date_precision: null, type: "album", uri: null },
      artists: [{ external_urls: {}, href: null, id: null, name: "", type: "artist", uri: null }],
      disc_number: 0,
      duration_ms: 0,
      explicit: false,
      external_ids: {},
      external_urls: {},
      href: null,
      id: null,
      is_local: true,
      name,
      preview_url: null,
      track_number: 0,
      type: "track",
      uri: `spotify:local:::${encodeURIComponent(name).replace(/%20/g, "+")}:0`,
    };
  }

  function album(release: SeedRelease, market: string | null): Json {
    const items = release.tracks.slice(0, 50).map((t) => simplifiedTrack(resolveTrack(t.id, null)!, market));
    return {
      ...simplifiedAlbum(release),
      tracks: page({ path: `/albums/${release.id}/tracks`, items, limit: 50, offset: 0, total: release.tracks.length }),
      copyrights: release.copyrights,
      external_ids: release.upc ? { upc: release.upc } : {},
      ...(extended ? { genres: [], label: release.label, popularity: release.popularity } : {}),
    };
  }

  function privateUser(fan: EmulatedFan, scopes: readonly string[]): Json {
    const readPrivate = extended && scopes.includes("user-read-private");
    const readEmail = extended && scopes.includes("user-read-email");
    return {
      account_id: fan.accountId,
      ...(readPrivate ? { country: fan.country } : {}),
      display_name: fan.displayName,
      ...(readEmail ? { email: fan.email } : {}),
      ...(readPrivate ? { explicit_content: { filter_enabled: false, filter_locked: false } } : {}),
      external_urls: open("user", fan.id),
      ...(extended ? { followers: { href: null, total: 0 } } : {}),
      href: api(`/users/${fan.id}`),
      id: fan.id,
      images: [],
      ...(readPrivate ? { product: fan.product } : {}),
      type: "user",
      uri: `spotify:user:${fan.id}`,
    };
  }

  function device(d: EmulatedDevice): Json {
    return {
      id: d.id,
      is_active: d.isActive,
      is_private_session: false,
      is_restricted: false,
      name: d.name,
      type: d.type,
      volume_percent: d.volumePercent,
      supports_volume: true,
    };
  }

  function context(uri: string | null): Json | null {
    if (!uri) return null;
    const [, type = "", id = ""] = uri.split(":");
    return { type, href: api(`/${type}s/${id}`), external_urls: open(type, id), uri };
  }

  return { api, page, qs, simplifiedArtist, artist, simplifiedAlbum, album, resolveTrack, simplifiedTrack, track, localTrack, privateUser, device, context };
}

export type ApiObjects = ReturnType<typeof buildApiObjects>;
