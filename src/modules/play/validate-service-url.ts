import { badRequest } from "../../lib/errors";

/** Streaming services a smart link can list, in default order, with their display names. */
export const STREAMING_SERVICES = {
  spotify: "Spotify",
  apple_music: "Apple Music",
  youtube_music: "YouTube Music",
  amazon_music: "Amazon Music",
  deezer: "Deezer",
  tidal: "TIDAL",
  soundcloud: "SoundCloud",
  bandcamp: "Bandcamp",
} as const;

export type StreamingService = keyof typeof STREAMING_SERVICES;

/** Hosts each service serves its pages from; a link elsewhere is refused (no open redirect via /go). */
const HOSTS: Record<StreamingService, (host: string) => boolean> = {
  spotify: (h) => h === "open.spotify.com",
  apple_music: (h) => h === "music.apple.com" || h === "geo.music.apple.com",
  youtube_music: (h) => h === "music.youtube.com",
  amazon_music: (h) => /^music\.amazon\.(com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|in|co\.jp|com\.au)$/.test(h),
  deezer: (h) => h === "www.deezer.com" || h === "deezer.com" || h === "link.deezer.com" || h === "deezer.page.link",
  tidal: (h) => h === "tidal.com" || h === "listen.tidal.com",
  soundcloud: (h) => h === "soundcloud.com" || h === "on.soundcloud.com" || h === "m.soundcloud.com",
  bandcamp: (h) => /^[a-z0-9-]{1,63}\.bandcamp\.com$/.test(h),
};

/** The hosts of `HOSTS` as text, for clients that validate before saving (`*` = one label). */
export const SERVICE_HOST_PATTERNS: Record<StreamingService, string[]> = {
  spotify: ["open.spotify.com"],
  apple_music: ["music.apple.com", "geo.music.apple.com"],
  youtube_music: ["music.youtube.com"],
  amazon_music: ["music.amazon.com", "music.amazon.ca", "music.amazon.com.mx", "music.amazon.com.br", "music.amazon.co.uk", "music.amazon.de", "music.amazon.fr", "music.amazon.it", "music.amazon.es", "music.amazon.in", "music.amazon.co.jp", "music.amazon.com.au"],
  deezer: ["www.deezer.com", "deezer.com", "link.deezer.com", "deezer.page.link"],
  tidal: ["tidal.com", "listen.tidal.com"],
  soundcloud: ["soundcloud.com", "on.soundcloud.com", "m.soundcloud.com"],
  bandcamp: ["*.bandcamp.com"],
};

export function isStreamingService(value: string): value is StreamingService {
  return Object.hasOwn(STREAMING_SERVICES, value);
}

/**
 * Checks an artist-entered service URL: https, on that service's own hosts, no
 * credentials, ≤ 2048 chars. Returns the normalised URL.
 * @throws AppError BAD_REQUEST with field `services.<service>`.
 */
export function validateServiceUrl(service: string, raw: string): string {
  const field = `services.${service}`;
  if (!isStreamingService(service)) throw badRequest("services", `unknown streaming service "${service}"`);
  if (raw.length > 2048) throw badRequest(field, "URL longer than 2048 characters");
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badRequest(field, "is not a URL");
  }
  if (url.protocol !== "https:") throw badRequest(field, "must be an https URL");
  if (url.username || url.password) throw badRequest(field, "must not contain credentials");
  if (url.port) throw badRequest(field, "must not name a port");
  if (!HOSTS[service](url.hostname.toLowerCase())) {
    throw badRequest(field, `must be a ${STREAMING_SERVICES[service]} link (host ${url.hostname} is not one of its hosts)`);
  }
  return url.toString();
}
