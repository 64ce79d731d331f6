import { eq } from "drizzle-orm";
import { playUsers } from "../../src/db/schema/index";
import type { TestApp } from "./create-test-runtime";
import { driveSpotifyConsent } from "./drive-spotify-consent";

/**
 * A fan taps Save on a smart link (with the given query string and referrer), consents in
 * the emulator and lands back: the app records AUTH, SAVE_TRACK, FOLLOW_ARTIST. Returns the
 * emulator fan id and the Play user id.
 */
export async function enrollFan(
  t: TestApp,
  linkPath: string,
  options: { query?: string; referer?: string; displayName?: string } = {},
): Promise<{ fanId: string; playUserId: string }> {
  const browser = t.browser();
  const page = await browser.request(`${linkPath}${options.query ?? "?utm_source=ig&utm_campaign=launch"}`, {
    headers: { referer: options.referer ?? "https://l.instagram.com/x" },
  });
  if (page.status !== 200) throw new Error(`landing answered ${page.status}`);
  const action = /<form method="post" action="([^"]+)"/.exec(await page.text())![1]!.replaceAll("&amp;", "&");
  const redirect = await browser.request(action, { method: "POST" });
  const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, {
    fan: { displayName: options.displayName ?? "Fan", country: "PT", product: "premium" },
  });
  const result = await browser.request(callbackUrl);
  if (result.status !== 200) throw new Error(`callback answered ${result.status}`);
  const spotifyUserId = t.runtime.spotifyEmulator!.control.getFan(fanId)!.id;
  const [user] = await t.runtime.database.db.select({ id: playUsers.id }).from(playUsers).where(eq(playUsers.spotifyUserId, spotifyUserId));
  if (!user) throw new Error("no Play user after consent");
  return { fanId, playUserId: user.id };
}
