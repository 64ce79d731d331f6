import type { CreateFanInput } from "../../src/providers/spotify/emulator/create-fan";
import type { TestApp, TestBrowser } from "./create-test-runtime";

/**
 * Walks the emulator's authorize pages as a fan's browser would: from the authorize
 * URL Backbeat redirected to, create a fan (or continue as an existing one) and press
 * Agree or Cancel. Returns the callback URL Spotify sends the browser back to.
 */
export async function driveSpotifyConsent(
  t: TestApp,
  browser: TestBrowser,
  authorizeUrl: string,
  options: { fanId?: string; fan?: CreateFanInput; decision?: "agree" | "cancel" } = {},
): Promise<{ callbackUrl: string; fanId: string }> {
  const page = await browser.request(authorizeUrl);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${await page.text()}`);
  const params = new URL(authorizeUrl).searchParams;
  const control = t.runtime.spotifyEmulator!.control;
  const fanId = options.fanId ?? control.createFan(options.fan ?? { displayName: "Test Fan", country: "US", product: "premium" }).id;
  const base = new URL(authorizeUrl).pathname.replace(/\/authorize$/, "");
  const form = new URLSearchParams(params);
  form.set("fan_id", fanId);
  const consent = await browser.request(`${base}/authorize/continue`, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const consentHtml = await consent.text();
  if (!consentHtml.includes("Agree")) throw new Error(`no consent screen: ${consentHtml.slice(0, 300)}`);
  form.set("decision", options.decision ?? "agree");
  const decided = await browser.request(`${base}/authorize/decision`, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const location = decided.headers.get("location");
  if (decided.status !== 302 || !location) throw new Error(`decision answered ${decided.status}`);
  return { callbackUrl: location, fanId };
}
