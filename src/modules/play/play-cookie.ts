import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { deriveKey } from "../../lib/sign-value";

/** P06: the Play cookie's name and lifetime (≤ 1 year). */
export const PLAY_COOKIE = "play_spotify_uid";
export const PLAY_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** Spotify user ids: base62 ids, or the letters/digits/._- of older usernames. */
const SPOTIFY_USER_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Reads the Play cookie (P06): the Spotify user id if its HMAC verifies under the
 * cookie's own derived key and it looks like a Spotify user id; otherwise null (a forged,
 * unsigned, altered or foreign-signed value is ignored, never an error).
 */
export async function readPlayCookie(c: Context, cookieSecret: string): Promise<string | null> {
  const value = await getSignedCookie(c, deriveKey(cookieSecret, PLAY_COOKIE), PLAY_COOKIE);
  return typeof value === "string" && SPOTIFY_USER_ID.test(value) ? value : null;
}

/** Sets the Play cookie: first-party, HttpOnly, SameSite=Lax, Secure on https, Path=/, 1 year. */
export async function writePlayCookie(c: Context, cookieSecret: string, spotifyUserId: string, secure: boolean): Promise<void> {
  await setSignedCookie(c, PLAY_COOKIE, spotifyUserId, deriveKey(cookieSecret, PLAY_COOKIE), {
    httpOnly: true,
    secure,
    sameSite: "Lax",
    path: "/",
    maxAge: PLAY_COOKIE_MAX_AGE_S,
  });
}

export function clearPlayCookie(c: Context, secure: boolean): void {
  deleteCookie(c, PLAY_COOKIE, { path: "/", secure });
}
