import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { artists, engagementEvents, fanLibraryStates, fanRevocations, fanSyncGaps, fanSyncStates, playUsers, syncAlerts } from "../../src/db/schema/index";
import { registerJobs } from "../../src/jobs/register-jobs";
import { confirmRevocation, planFanSync, resumeDeletions, syncFan, TOUCHPOINT_TYPES } from "../../src/modules/attribution/index";
import { createFanTokenStore, createSmartLink, erasePlayUser } from "../../src/modules/play/index";
import { RELINKED_TRACK } from "../../src/providers/spotify/emulator/index";
import { createTestApp, type TestApp } from "../harness/create-test-runtime";
import { enrollFan } from "../harness/enroll-fan";

const SECRET = "test-job-secret-0123456789abcdef0123456789ab";
const ALBUM_ID = "4aawyAB9vmqN3uQ7FjRGTy";
const PITBULL = "0TnOYISbd1XYRBk9myaseg";
/** Tracks of "Global Warming" in the emulator's seed catalog. */
const TRACK_A = "6OmhkSOpvYBokMKQxpIGx2";
const TRACK_B = "2iblMMIgSznA464mNov7A8";
const MIN = 60_000;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setup(env: Record<string, string> = {}, logLines?: string[]) {
  t = await createTestApp({ env, ...(logLines ? { logLines } : {}) });
  const ctx = t.runtime.ctxFor({ kind: "system" });
  const created = await createSmartLink({ ctx: t.runtime.ctxFor({ kind: "cli" }), input: { spotifyUrl: `https://open.spotify.com/album/${ALBUM_ID}` } });
  if (created.kind !== "smart_link") throw new Error("expected a smart link");
  const linkPath = `/${created.artist.slug}/${created.link.slug}`;
  return { t, ctx, control: t.runtime.spotifyEmulator!.control, linkPath, linkId: created.link.id, artistId: created.artist.id };
}

async function streams(app: TestApp, playUserId?: string) {
  const rows = await app.runtime.database.db.select().from(engagementEvents).where(eq(engagementEvents.type, "STREAM")).orderBy(engagementEvents.occurredAt);
  return playUserId ? rows.filter((r) => r.playUserId === playUserId) : rows;
}

async function queuedJobs(app: TestApp, name: string) {
  const result = await app.runtime.database.db.execute(sql`select data, singleton_key, start_after from pgboss.job where name = ${name} and state = 'created' order by created_on`);
  return result.rows as Array<{ data: Record<string, unknown>; singleton_key: string | null; start_after: Date | string }>;
}

describe("fan sync: streams derived from recently played (P08)", () => {
  it("P08 derives streams exactly: repeats count, local files, unengaged tracks and plays before the touchpoint do not, relinked ids are the same track; replays are idempotent", async () => {
    const { t, ctx, control, linkPath, linkId } = await setup();
    const t0 = t.clock.now().getTime();
    const { fanId, playUserId } = await enrollFan(t, linkPath, { query: "?utm_source=ig&utm_campaign=launch" });
    control.recordPlay(fanId, TRACK_A, new Date(t0 - 5 * MIN)); // before the fan came through us
    control.recordPlay(fanId, TRACK_A, new Date(t0 + 5 * MIN));
    control.recordPlay(fanId, TRACK_A, new Date(t0 + 10 * MIN)); // a repeat: another stream
    control.recordPlay(fanId, null, new Date(t0 + 12 * MIN), { localName: "bootleg.mp3" });
    control.recordPlay(fanId, RELINKED_TRACK.requestedId, new Date(t0 + 15 * MIN), { linkedFromId: RELINKED_TRACK.servedId });
    control.recordPlay(fanId, RELINKED_TRACK.requestedId, new Date(t0 + 16 * MIN)); // another release, not engaged
    control.recordPlay(fanId, TRACK_B, new Date(t0 + 20 * MIN));
    t.clock.advance(60 * MIN);

    const first = await syncFan({ ctx, input: { playUserId } });
    expect(first).toMatchObject({ outcome: "synced", streams: 4, gap: false });
    const rows = await streams(t, playUserId);
    expect(rows.map((r) => [r.detail.trackId, r.occurredAt.getTime() - t0])).toEqual([
      [TRACK_A, 5 * MIN],
      [TRACK_A, 10 * MIN],
      [RELINKED_TRACK.servedId, 15 * MIN],
      [TRACK_B, 20 * MIN],
    ]);
    expect(rows[2]!.detail.servedTrackId).toBe(RELINKED_TRACK.requestedId);
    for (const row of rows) {
      // Last touch: the landing that brought the fan, with its campaign and referrer.
      expect(row.smartLinkId).toBe(linkId);
      expect(row.context.utm).toEqual({ source: "ig", campaign: "launch" });
      expect(row.context.referrerHost).toBe("l.instagram.com");
      const touch = row.detail.touchpoint as { type: string; eventId: string };
      expect(TOUCHPOINT_TYPES).toContain(touch.type);
      expect(touch.eventId).toMatch(/^evt_/);
    }

    // Same job again: nothing new. With the cursor lost (a crash before it was stored),
    // the same plays are read again and the unique index keeps one row each.
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced", streams: 0 });
    await t.runtime.database.db.update(fanSyncStates).set({ afterMs: null }).where(eq(fanSyncStates.playUserId, playUserId));
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced", streams: 0 });
    expect(await streams(t, playUserId)).toHaveLength(4);

    // A later play is picked up from the stored cursor.
    control.recordPlay(fanId, TRACK_A, new Date(t.clock.now().getTime() - MIN));
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ streams: 1 });
  });

  it("attributes only plays inside the artist's window (per-artist setting) and only the fan's own plays (isolation)", async () => {
    const { t, ctx, control, linkPath, artistId } = await setup();
    await t.runtime.database.db.update(artists).set({ attributionWindowDays: 1 }).where(eq(artists.id, artistId));
    const t0 = t.clock.now().getTime();
    const a = await enrollFan(t, linkPath, { displayName: "A" });
    const b = await enrollFan(t, linkPath, { displayName: "B" });
    control.recordPlay(a.fanId, TRACK_A, new Date(t0 + 10 * MIN));
    control.recordPlay(a.fanId, TRACK_B, new Date(t0 + 25 * 60 * MIN)); // 25 h later: outside a 1-day window
    t.clock.advance(26 * 60 * MIN);
    expect(await syncFan({ ctx, input: { playUserId: a.playUserId } })).toMatchObject({ streams: 1 });
    expect(await syncFan({ ctx, input: { playUserId: b.playUserId } })).toMatchObject({ streams: 0 });
    expect((await streams(t)).map((s) => s.playUserId)).toEqual([a.playUserId]);
  });

  it("records a coverage gap when a full page of 50 starts after the cursor", async () => {
    const { t, ctx, control, linkPath } = await setup();
    const t0 = t.clock.now().getTime();
    const { fanId, playUserId } = await enrollFan(t, linkPath);
    for (let i = 1; i <= 55; i++) control.recordPlay(fanId, i % 2 ? TRACK_A : TRACK_B, new Date(t0 + i * 4 * MIN));
    t.clock.advance(5 * 60 * MIN);
    const result = await syncFan({ ctx, input: { playUserId } });
    expect(result).toMatchObject({ outcome: "synced", gap: true, streams: 50 });
    const gaps = await t.runtime.database.db.select().from(fanSyncGaps).where(eq(fanSyncGaps.playUserId, playUserId));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.fromAt.getTime()).toBeLessThanOrEqual(t0);
    expect(gaps[0]!.toAt.getTime()).toBe(t0 + 6 * 4 * MIN); // the oldest of the 50 kept
    // Caught up: the next run reads nothing new and records no gap.
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ gap: false, streams: 0 });
  });
});

describe("fan sync: what is read from Spotify (P09)", () => {
  for (const quota of ["extended", "development"] as const) {
    it(`P09 reads only recently played and the state of the release and artist the fan engaged with (${quota} quota)`, async () => {
      const { t, ctx, control, linkPath } = await setup({ SPOTIFY_QUOTA_MODE: quota });
      const { fanId, playUserId } = await enrollFan(t, linkPath);
      // The fan's other library items must never be asked about.
      control.addToLibrary(fanId, ["spotify:album:2xTimberSingle00000001", "spotify:artist:4tZwfgrHOc3mvqYlEYSvVi"]);
      t.clock.advance(30 * MIN);
      control.clearRequests();
      expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced" });
      const seen = control.requests().map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`).sort();
      const played = `GET /v1/me/player/recently-played ${JSON.stringify({ limit: "50", after: String(t.clock.now().getTime() - 30 * MIN) })}`;
      const expected =
        quota === "extended"
          ? [
              `GET /v1/me/albums/contains ${JSON.stringify({ ids: ALBUM_ID })}`,
              `GET /v1/me/following/contains ${JSON.stringify({ type: "artist", ids: PITBULL })}`,
              played,
            ]
          : [`GET /v1/me/library/contains ${JSON.stringify({ uris: `spotify:album:${ALBUM_ID},spotify:artist:${PITBULL}` })}`, played];
      expect(seen).toEqual(expected.sort());
      // Within the day (and the access token's hour), only recently played is read again.
      t.clock.advance(20 * MIN);
      control.clearRequests();
      expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced" });
      expect(control.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/me/player/recently-played"]);
    });
  }
});

describe("fan sync: save retention", () => {
  it("detects un-saves and un-follows once, with the save's touchpoint", async () => {
    const { t, ctx, control, linkPath, linkId } = await setup();
    const { fanId, playUserId } = await enrollFan(t, linkPath);
    t.clock.advance(30 * MIN);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ unsaved: 0, unfollowed: 0 });
    control.removeFromLibrary(fanId, [`spotify:album:${ALBUM_ID}`, `spotify:artist:${PITBULL}`]);
    // Saved state is checked daily: an hour later nothing is asked yet.
    t.clock.advance(60 * MIN);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ unsaved: 0, unfollowed: 0 });
    t.clock.advance(24 * 60 * MIN);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ unsaved: 1, unfollowed: 1 });
    t.clock.advance(24 * 60 * MIN);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ unsaved: 0, unfollowed: 0 });
    const db = t.runtime.database.db;
    const events = await db.select().from(engagementEvents).where(and(eq(engagementEvents.playUserId, playUserId), sql`${engagementEvents.type} in ('UNSAVE_TRACK', 'UNFOLLOW_ARTIST')`));
    expect(events.map((e) => [e.type, e.detail.uri]).sort()).toEqual([
      ["UNFOLLOW_ARTIST", `spotify:artist:${PITBULL}`],
      ["UNSAVE_TRACK", `spotify:album:${ALBUM_ID}`],
    ]);
    expect(events.every((e) => e.smartLinkId === linkId && e.context.utm.campaign === "launch")).toBe(true);
    const states = await db.select().from(fanLibraryStates).where(eq(fanLibraryStates.playUserId, playUserId));
    expect(states.map((s) => [s.uri, s.saved]).sort()).toEqual([
      [`spotify:album:${ALBUM_ID}`, false],
      [`spotify:artist:${PITBULL}`, false],
    ]);
  });
});

describe("fan sync jobs (P04)", () => {
  it("P04 the planner queues one sync per engaged fan, spread over the hour, once; triggers need the job secret", async () => {
    const { t, ctx, linkPath } = await setup();
    const a = await enrollFan(t, linkPath, { displayName: "A" });
    const b = await enrollFan(t, linkPath, { displayName: "B" });
    expect(await planFanSync({ ctx, input: {} })).toEqual({ fans: 2 });
    expect(await planFanSync({ ctx, input: {} })).toEqual({ fans: 2 });
    const jobs = await queuedJobs(t, "attribution.sync-fan");
    expect(jobs.map((j) => j.singleton_key).sort()).toEqual([a.playUserId, b.playUserId].sort());
    for (const job of jobs) {
      const offset = new Date(job.start_after).getTime() - t.clock.now().getTime();
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(60 * MIN);
    }

    const headers = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };
    const planned = await t.app.request("/internal/jobs/attribution.plan-fan-sync", { method: "POST", headers });
    expect(planned.status).toBe(202);
    // A triggered sync of a fan already planned collapses into the planned job.
    const triggered = await t.app.request("/internal/jobs/attribution.sync-fan", { method: "POST", headers, body: JSON.stringify({ playUserId: a.playUserId }) });
    expect(triggered.status).toBe(202);
    expect(await queuedJobs(t, "attribution.sync-fan")).toHaveLength(2);
    const wrong = await t.app.request("/internal/jobs/attribution.sync-fan", { method: "POST", headers: { ...headers, authorization: "Bearer nope" }, body: JSON.stringify({ playUserId: a.playUserId }) });
    expect(wrong.status).toBe(401);
    const bad = await t.app.request("/internal/jobs/attribution.sync-fan", { method: "POST", headers, body: JSON.stringify({ playUserId: "someone" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/playUserId/);
    const resume = await t.app.request("/internal/jobs/attribution.resume-deletions", { method: "POST", headers, body: JSON.stringify({ action: "restore" }) });
    expect(resume.status).toBe(202);
  });

  it("P04 pg-boss works a triggered sync end to end", async () => {
    const { t, control, linkPath } = await setup();
    await registerJobs(t.runtime.boss, { ctxFor: () => t.runtime.ctxFor({ kind: "system" }) });
    const { fanId, playUserId } = await enrollFan(t, linkPath);
    control.recordPlay(fanId, TRACK_A, new Date(t.clock.now().getTime() + MIN));
    t.clock.advance(10 * MIN);
    const response = await t.app.request("/internal/jobs/attribution.sync-fan", {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json" },
      body: JSON.stringify({ playUserId }),
    });
    const { jobId } = (await response.json()) as { jobId: string };
    await vi.waitFor(
      async () => {
        const job = await t.runtime.boss.getJobById("attribution.sync-fan", jobId);
        expect(job?.state).toBe("completed");
      },
      { timeout: 40_000, interval: 100 },
    );
    expect((await streams(t, playUserId)).map((s) => s.detail.trackId)).toEqual([TRACK_A]);
  }, 60_000);

  it("429 from Spotify: the job is rescheduled after Retry-After (startAfter), the cursor stays", async () => {
    const { t, ctx, control, linkPath } = await setup();
    const { playUserId } = await enrollFan(t, linkPath);
    control.injectFault({ pathPrefix: "/v1/me/player/recently-played", status: 429, retryAfterSeconds: 30, times: 1 });
    const now = t.clock.now().getTime();
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "rescheduled" });
    const jobs = await queuedJobs(t, "attribution.sync-fan");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toEqual({ playUserId });
    expect(new Date(jobs[0]!.start_after).getTime()).toBe(now + 30_000);
    const [state] = await t.runtime.database.db.select().from(fanSyncStates).where(eq(fanSyncStates.playUserId, playUserId));
    expect(state?.afterMs ?? null).toBeNull();
  });

  it("the app-wide token bucket reschedules a sync when the budget is spent", async () => {
    const { t, ctx, linkPath } = await setup({ FAN_SYNC_RATE_PER_SECOND: "0.5", FAN_SYNC_RATE_BURST: "2" });
    const { playUserId } = await enrollFan(t, linkPath);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced" });
    const now = t.clock.now().getTime();
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "rescheduled" });
    const [job] = await queuedJobs(t, "attribution.sync-fan");
    expect(new Date(job!.start_after).getTime()).toBe(now + 4000);
    t.clock.advance(4000);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced" });
  });
});

describe("fan sync: token care (P16)", () => {
  it("stops polling a fan whose consent is older than six months", async () => {
    const { t, ctx, control, linkPath, artistId } = await setup();
    await t.runtime.database.db.update(artists).set({ attributionWindowDays: 365 }).where(eq(artists.id, artistId));
    const { playUserId } = await enrollFan(t, linkPath);
    t.clock.advance(184 * 24 * 60 * MIN);
    expect(await planFanSync({ ctx, input: {} })).toEqual({ fans: 1 });
    control.clearRequests();
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "expired" });
    expect(control.requests()).toEqual([]);
    expect(await planFanSync({ ctx, input: {} })).toEqual({ fans: 0 });
    // Kept (not revoked, just expired): the fan can consent again.
    expect(await t.runtime.database.db.select().from(playUsers).where(eq(playUsers.id, playUserId))).toHaveLength(1);
  });

  it("P16 a definitive invalid_grant, confirmed after a delay, deletes the fan's tokens and Play user", async () => {
    const { t, ctx, control, linkPath } = await setup();
    const { fanId, playUserId } = await enrollFan(t, linkPath);
    control.revokeFan(fanId);
    const now = t.clock.now().getTime();
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "revocation_suspected" });
    const [job] = await queuedJobs(t, "attribution.confirm-revocation");
    expect(job?.data).toEqual({ playUserId });
    expect(new Date(job!.start_after).getTime()).toBe(now + 60 * MIN);
    // Not deleted on one answer, and not polled meanwhile.
    const db = t.runtime.database.db;
    expect(await db.select().from(playUsers).where(eq(playUsers.id, playUserId))).toHaveLength(1);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "not_active" });

    t.clock.advance(60 * MIN);
    expect(await confirmRevocation({ ctx, input: { playUserId } })).toEqual({ outcome: "deleted" });
    expect(await db.select().from(playUsers).where(eq(playUsers.id, playUserId))).toHaveLength(0);
    expect(await db.select().from(engagementEvents).where(eq(engagementEvents.playUserId, playUserId))).toHaveLength(0);
    const revocations = await db.select().from(fanRevocations);
    expect(revocations.map((r) => [r.outcome, r.playUserId])).toEqual([["deleted", null]]);
    expect(await confirmRevocation({ ctx, input: { playUserId } })).toEqual({ outcome: "gone" });
  });

  it("P16 a 5xx never deletes: not on sync, not on confirmation", async () => {
    const { t, ctx, control, linkPath } = await setup();
    const { fanId, playUserId } = await enrollFan(t, linkPath);
    control.injectFault({ pathPrefix: "/v1/me/player/recently-played", status: 503, times: 1 });
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "failed" });
    const db = t.runtime.database.db;
    const [state] = await db.select().from(fanSyncStates).where(eq(fanSyncStates.playUserId, playUserId));
    expect(state?.status).toBe("active");

    control.revokeFan(fanId);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "revocation_suspected" });
    control.injectFault({ pathPrefix: "/api/token", status: 502, times: 1 });
    t.clock.advance(60 * MIN);
    expect(await confirmRevocation({ ctx, input: { playUserId } })).toEqual({ outcome: "retry_later" });
    expect(await db.select().from(playUsers).where(eq(playUsers.id, playUserId))).toHaveLength(1);
    expect(await queuedJobs(t, "attribution.confirm-revocation")).toHaveLength(1);
  });

  it("P16 a burst of revocations pauses deletion, raises an alert and waits for an operator", async () => {
    const logLines: string[] = [];
    const { t, ctx, control, linkPath } = await setup({ FAN_REVOCATION_BURST_THRESHOLD: "2" }, logLines);
    const fans = [];
    for (const name of ["A", "B", "C"]) fans.push(await enrollFan(t, linkPath, { displayName: name }));
    for (const f of fans) {
      control.revokeFan(f.fanId);
      expect(await syncFan({ ctx, input: { playUserId: f.playUserId } })).toMatchObject({ outcome: "revocation_suspected" });
    }
    t.clock.advance(60 * MIN);
    const outcomes = [];
    for (const f of fans) outcomes.push((await confirmRevocation({ ctx, input: { playUserId: f.playUserId } })).outcome);
    expect(outcomes).toEqual(["deleted", "paused", "paused"]);
    const db = t.runtime.database.db;
    const alerts = await db.select().from(syncAlerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "revocation_burst", clearedAt: null });
    expect(logLines.some((l) => JSON.parse(l).level === 50 && /revocation burst/.test(JSON.parse(l).msg))).toBe(true);
    expect(await db.select().from(playUsers)).toHaveLength(2);

    expect(await resumeDeletions({ ctx, input: { action: "delete" } })).toEqual({ cleared: 1, deleted: 2, restored: 0 });
    expect(await db.select().from(playUsers)).toHaveLength(0);
    expect((await db.select().from(syncAlerts))[0]!.clearedAt).not.toBeNull();
  });

  it("refreshes an expired access token once and keeps the refresh token Spotify did not rotate", async () => {
    const { t, ctx, control, linkPath } = await setup();
    const { playUserId } = await enrollFan(t, linkPath);
    const db = t.runtime.database.db;
    const [before] = await db.select().from(playUsers).where(eq(playUsers.id, playUserId));
    t.clock.advance(2 * 60 * MIN);
    control.clearRequests();
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced" });
    expect(control.requests().filter((r) => r.path === "/api/token")).toHaveLength(1);
    const [after] = await db.select().from(playUsers).where(eq(playUsers.id, playUserId));
    expect(after!.accessTokenExpiresAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect(after!.refreshTokenSealed).not.toBe(before!.refreshTokenSealed); // re-sealed…
    // …but the same refresh token: the next refresh still works.
    t.clock.advance(2 * 60 * MIN);
    expect(await syncFan({ ctx, input: { playUserId } })).toMatchObject({ outcome: "synced" });
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))("PostgreSQL: one refresh at a time across nodes — a second locker waits and reads the first one's tokens", async () => {
    const { t, ctx, linkPath } = await setup();
    const { playUserId } = await enrollFan(t, linkPath);
    const nodeA = createFanTokenStore(ctx, playUserId);
    const nodeB = createFanTokenStore(ctx, playUserId);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const a = nodeA.exclusive!(async (locked) => {
      const tokens = await locked.load();
      order.push("A locked");
      await held;
      await locked.save({ ...tokens, accessToken: "renewed-by-A" });
      order.push("A saved");
    });
    await new Promise((r) => setTimeout(r, 50));
    const b = nodeB.exclusive!(async (locked) => {
      const tokens = await locked.load();
      order.push(`B locked, sees ${tokens.accessToken}`);
    });
    await new Promise((r) => setTimeout(r, 100));
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(["A locked", "A saved", "B locked, sees renewed-by-A"]);
  });

  it("erasing a fan erases their sync state, gaps and retention rows", async () => {
    const { t, ctx, linkPath } = await setup();
    const { fanId, playUserId } = await enrollFan(t, linkPath);
    t.clock.advance(30 * MIN);
    await syncFan({ ctx, input: { playUserId } });
    const db = t.runtime.database.db;
    expect(await db.select().from(fanLibraryStates).where(eq(fanLibraryStates.playUserId, playUserId))).toHaveLength(2);
    expect(await erasePlayUser({ ctx, input: { spotifyUserId: fanId } })).toMatchObject({ erased: true });
    expect(await db.select().from(fanSyncStates).where(eq(fanSyncStates.playUserId, playUserId))).toHaveLength(0);
    expect(await db.select().from(fanLibraryStates).where(eq(fanLibraryStates.playUserId, playUserId))).toHaveLength(0);
  });
});
