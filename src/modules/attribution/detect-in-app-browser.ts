/**
 * In-app browser detection from the User-Agent.
 *
 * Social apps open links in their own WebView. Spotify sign-in inside those views often
 * fails or loses the session, so the landing page offers "Open in your browser" first.
 * Markers (as seen in the apps' real UA strings, 2024–2026):
 * - Instagram: `Instagram 3xx.0.0.x.y` on iOS and Android (checked first: Instagram's
 *   Android WebView may also carry Facebook markers).
 * - Facebook and Messenger: `FBAN/` / `FBAV/` (iOS `[FBAN/FBIOS;FBAV/…]`), `FB_IAB/`
 *   (Android `[FB_IAB/FB4A;FBAV/…]`, Messenger `FB_IAB/Orca-Android`).
 * - TikTok: `musical_ly_…` / `AppName/musical_ly` (global app), `trill_…` (Asian app ids),
 *   `BytedanceWebview/…`, or a literal `TikTok` token.
 * - Snapchat: `Snapchat/12.x…`.
 */

export type InAppBrowser = "instagram" | "facebook" | "tiktok" | "snapchat";

const INSTAGRAM = /\bInstagram[ /]\d/i;
const FACEBOOK = /\bFB(?:AN|AV|_IAB)\/|\bFBIOS\b|\bFB4A\b/;
const TIKTOK = /musical_ly|\bBytedanceWebview\/|\bTikTok\b|\btrill_\d|\bAppName\/(?:musical_ly|trill)/i;
const SNAPCHAT = /\bSnapchat\/\d/i;

/**
 * Returns which social app's in-app browser sent `userAgent`, or `null` (regular browser,
 * unknown app, empty UA). Only the first 1 024 characters are examined.
 */
export function detectInAppBrowser(userAgent: string | null | undefined): InAppBrowser | null {
  if (!userAgent) return null;
  const ua = userAgent.length > 1024 ? userAgent.slice(0, 1024) : userAgent;
  if (INSTAGRAM.test(ua)) return "instagram";
  if (FACEBOOK.test(ua)) return "facebook";
  if (TIKTOK.test(ua)) return "tiktok";
  if (SNAPCHAT.test(ua)) return "snapchat";
  return null;
}
