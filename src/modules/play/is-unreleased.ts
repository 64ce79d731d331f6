import type { SmartLink } from "./create-smart-link";

/**
 * True while the release date (UTC calendar day) is after today (UTC). Releases come
 * out at local midnight per market; UTC is the conservative single answer for a page
 * shown worldwide, and the pre-save job retries until Spotify has the release live.
 */
export function isUnreleased(link: Pick<SmartLink, "releaseDate">, now: Date): boolean {
  return link.releaseDate !== null && link.releaseDate > now.toISOString().slice(0, 10);
}
