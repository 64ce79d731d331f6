/**
 * Coarse device class from the User-Agent, for analytics only (never for decisions that
 * affect the fan). iPadOS ≥ 13 sends a desktop Safari UA by default, so those iPads count
 * as desktop; the UA cannot tell them apart.
 */
import { isbot } from "isbot";

export type DeviceClass = "mobile" | "tablet" | "desktop" | "bot" | "unknown";

const TABLET = /\biPad\b|\bTablet\b|\bKindle\b|\bSilk\/|\bPlayBook\b|\bNexus (?:7|9|10)\b|\bSM-T\d/i;
const MOBILE = /\bMobi|\biPhone\b|\biPod\b|\bWindows Phone\b|\bIEMobile\b|\bOpera Mini\b|\bBlackBerry\b|\bBB10\b/i;
const ANDROID = /\bAndroid\b/i;
const DESKTOP = /\bWindows NT\b|\bMacintosh\b|\bX11\b|\bCrOS\b|\bLinux x86_64\b/i;

/**
 * `bot` when `isbot` says so; `tablet` for iPad / Android without `Mobile` / known
 * tablets; `mobile` for phones (and the `Sec-CH-UA-Mobile: ?1` client hint); `desktop` for
 * Windows, macOS, Linux desktops and ChromeOS; otherwise `unknown`.
 */
export function classifyDevice(userAgent: string | null | undefined, chUaMobile?: string | null): DeviceClass {
  if (!userAgent) return "unknown";
  const ua = userAgent.length > 1024 ? userAgent.slice(0, 1024) : userAgent;
  if (isbot(ua)) return "bot";
  if (TABLET.test(ua)) return "tablet";
  if (ANDROID.test(ua)) return /\bMobile\b/i.test(ua) ? "mobile" : "tablet";
  if (MOBILE.test(ua) || chUaMobile === "?1") return "mobile";
  if (DESKTOP.test(ua)) return "desktop";
  return "unknown";
}
