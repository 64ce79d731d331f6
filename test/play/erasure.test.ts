import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { engagementEvents, playUsers, presaves } from "../../src/db/schema/index";
import { createSmartLink, erasePlayUser, exportPlayUser } from "../../src/modules/play/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { driveSpotifyConsent } from "../harness/drive-spotify-consent";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function fanSaves(spotifyUrl: string, displayName: string, existingFanId?: string): Promise<string> {
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl } });
  if (created.kind !== "smart_link") throw new Error("expected link");
  const browser = t.browser();
  const redirect = await browser.request(`/${created.artist.slug}/${created.link.slug}/save`, { method: "POST" });
  const { callbackUrl, fanId } = await driveSpotifyConsent(t, browser, redirect.headers.get("location")!, existingFanId ? { fanId: existingFanId } : { fan: { displayName } });
  expect((await browser.request(callbackUrl)).status).toBe(200);
  return fanId;
}

describe("play erasure hook", () => {
  it("P17 erasure hook removes one fan's Play user, sealed tokens, pre-saves and events, and nobody else's; a second run is a no-op", async () => {
    const ana = await fanSaves("spotify:album:0BackbeatDemoUpcoming1", "Ana");
    const ben = await fanSaves("spotify:album:0BackbeatDemoUpcoming1", "Ben");
    await fanSaves("spotify:album:4aawyAB9vmqN3uQ7FjRGTy", "Ana", ana);
    const ctx = t.runtime.ctxFor({ kind: "system" });

    const exported = await exportPlayUser({ ctx, input: { spotifyUserId: ana } });
    expect(exported!.profile.spotifyUserId).toBe(ana);
    expect(exported!.presaves).toHaveLength(1);
    expect(exported!.events.map((e) => e.type)).toEqual(expect.arrayContaining(["AUTH", "PRESAVE", "FOLLOW_ARTIST"]));
    expect(JSON.stringify(exported)).not.toMatch(/v1\.test1\./);

    const result = await erasePlayUser({ ctx, input: { spotifyUserId: ana } });
    expect(result.erased).toBe(true);
    expect(result.events).toBeGreaterThan(0);

    const db = t.runtime.database.db;
    const users = await db.select().from(playUsers);
    expect(users.map((u) => u.spotifyUserId)).toEqual([ben]);
    const remaining = await db.select().from(presaves);
    expect(remaining).toHaveLength(1);
    const anaEvents = await db.execute(sql`select count(*)::int as n from engagement_events e where e.play_user_id not in (select id from play_users) and e.play_user_id is not null`);
    expect(Number((anaEvents.rows[0] as { n: number }).n)).toBe(0);
    expect((await db.select().from(engagementEvents)).filter((e) => e.playUserId !== null).length).toBeGreaterThan(0);

    // An action that was still running when Ana erased her data cannot write her events back.
    const anaId = exported!.profile.id;
    const context = exported!.events[0]!.context;
    t.runtime.events.enqueue({ type: "VIEW", artistId: exported!.events[0]!.artistId, smartLinkId: null, playUserId: anaId, context });
    await t.runtime.events.record(db, [{ type: "SAVE_TRACK", artistId: exported!.events[0]!.artistId, smartLinkId: null, playUserId: anaId, context }]);
    await t.runtime.events.flush();
    expect(t.runtime.events.pending).toBe(0);
    expect((await db.select().from(engagementEvents)).filter((e) => e.playUserId === anaId)).toHaveLength(0);

    expect(await erasePlayUser({ ctx, input: { spotifyUserId: ana } })).toEqual({ erased: false, events: 0 });
    expect(await exportPlayUser({ ctx, input: { spotifyUserId: ana } })).toBeNull();
  });
});
