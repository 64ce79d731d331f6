import { badRequest } from "../../lib/errors";

export interface SpotifyReference {
  type: "track" | "album" | "artist";
  id: string;
}

const ID = /^[0-9A-Za-z]{22}$/;
const SUPPORTED = new Set(["track", "album", "artist"]);

function reject(message: string): never {
  throw badRequest("spotifyUrl", message);
}

function checkType(type: string, id: string | undefined): SpotifyReference {
  switch (type) {
    case "playlist":
      return reject("playlists cannot become smart links; paste a track, album or artist link");
    case "show":
    case "episode":
      return reject("podcasts (shows and episodes) are not supported; paste a track, album or artist link");
    case "audiobook":
    case "chapter":
      return reject("audiobooks are not supported; paste a track, album or artist link");
    case "local":
      return reject("local files exist only on one device and cannot be linked");
    case "user":
      return reject("that is a Spotify user profile; paste a track, album or artist link");
  }
  if (!SUPPORTED.has(type)) return reject(`unsupported Spotify link type "${type}"`);
  if (!id || !ID.test(id)) return reject(`"${id ?? ""}" is not a valid Spotify ${type} id (22 letters and digits)`);
  return { type: type as SpotifyReference["type"], id };
}

/**
 * Reads what an artist pastes: `https://open.spotify.com/[intl-xx/][embed/]{track|album|artist}/{id}[?si=…]`
 * or `spotify:{track|album|artist}:{id}`.
 *
 * @throws AppError BAD_REQUEST (field `spotifyUrl`) naming why: playlists, podcasts,
 *   audiobooks, local files, user profiles, malformed ids, Spotify for Artists dashboard
 *   URLs, `spotify.link` short links (resolving them needs a network fetch of Spotify's
 *   redirector, so the artist is asked for the full link), and other hosts.
 */
export function parseSpotifyReference(raw: string): SpotifyReference {
  const text = raw.trim();
  if (text.length === 0) reject("is empty; paste a Spotify track, album or artist link");
  if (text.length > 500) reject("is too long to be a Spotify link");

  if (/^spotify:/i.test(text)) {
    const parts = text.split(":");
    if (parts[1] === "local") checkType("local", undefined);
    if (parts.length !== 3) reject("is not a Spotify URI of the form spotify:track:ID");
    return checkType(parts[1]!.toLowerCase(), parts[2]);
  }

  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return reject("is not a URL or Spotify URI");
  }
  const host = url.hostname.toLowerCase();
  if (host === "spotify.link" || host.endsWith(".spotify.link") || host === "spoti.fi") {
    return reject("short links (spotify.link) cannot be read; open it and paste the full open.spotify.com link");
  }
  if (host === "artists.spotify.com") {
    return reject("that is a Spotify for Artists dashboard link; paste the open.spotify.com link of the release or artist");
  }
  if (host !== "open.spotify.com" && host !== "play.spotify.com") {
    return reject(`must be an open.spotify.com link (got ${host})`);
  }
  const segments = url.pathname.split("/").filter(Boolean);
  // Localised links (`/intl-de/…`) and embeds (`/embed/…`) wrap the canonical path.
  while (segments[0] && (/^intl-[a-z]{2}(-[a-z]{2})?$/i.test(segments[0]) || segments[0] === "embed")) segments.shift();
  if (segments[0] === "user" && segments[2] === "playlist") return checkType("playlist", segments[3]);
  if (segments.length < 2) reject("does not name a track, album or artist");
  return checkType(segments[0]!.toLowerCase(), segments[1]);
}
