import { describe, expect, it } from "vitest";
import { RELINKED_TRACK } from "./catalog";
import { startEmulatorKit } from "./start-emulator-kit";

type Json = Record<string, unknown>;
const ALBUM = "spotify:album:4aawyAB9vmqN3uQ7FjRGTy";
const PITBULL = "spotify:artist:0TnOYISbd1XYRBk9myaseg";

describe("Spotify emulator: scripting a fan for sync", () => {
  it("scripts plays (relinked, local, repeats) over /_control and keeps only the last 50", async () => {
    const kit = startEmulatorKit();
    const { fanId, accessToken } = await kit.connectFan();
    const post = (path: string, body: unknown) => kit.req(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const base = Date.parse("2026-11-29T10:00:00Z");
    expect((await post(`/_control/fans/${fanId}/plays`, { trackId: RELINKED_TRACK.requestedId, playedAt: new Date(base).toISOString(), linkedFromId: RELINKED_TRACK.servedId })).status).toBe(201);
    expect((await post(`/_control/fans/${fanId}/plays`, { trackId: null, playedAt: new Date(base + 1000).toISOString(), localName: "x.mp3" })).status).toBe(201);
    // Bad input is refused and changes nothing.
    expect((await post(`/_control/fans/${fanId}/plays`, { trackId: null, playedAt: new Date(base).toISOString(), linkedFromId: RELINKED_TRACK.servedId })).status).toBe(400);
    expect((await post(`/_control/fans/${fanId}/plays`, { trackId: "6OmhkSOpvYBokMKQxpIGx2", playedAt: "yesterday" })).status).toBe(400);

    const page = (await (await kit.req(`/v1/me/player/recently-played?limit=50&after=${base - 1}`, { headers: kit.bearer(accessToken) })).json()) as { items: Array<{ track: Json; played_at: string }> };
    const relinked = page.items.find((i) => i.played_at === new Date(base).toISOString())!;
    expect(relinked.track).toMatchObject({ id: RELINKED_TRACK.requestedId, linked_from: { id: RELINKED_TRACK.servedId } });
    expect(page.items.find((i) => i.track.is_local === true)?.track.id).toBeNull();

    for (let i = 0; i < 60; i++) kit.control.recordPlay(fanId, "6OmhkSOpvYBokMKQxpIGx2", new Date(base + 10_000 + i * 1000));
    expect(kit.control.getFan(fanId)!.recentPlays).toHaveLength(50);
    const all = (await (await kit.req(`/v1/me/player/recently-played?limit=50&after=${base - 1}`, { headers: kit.bearer(accessToken) })).json()) as { items: unknown[] };
    expect(all.items).toHaveLength(50);
  });

  it("un-saves and un-follows in the fan's own app, and logs the requests it answered", async () => {
    const kit = startEmulatorKit();
    const { fanId, accessToken } = await kit.connectFan();
    const lib = (method: string, uris: string[]) => kit.req(`/_control/fans/${fanId}/library`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify({ uris }) });
    expect((await lib("POST", [ALBUM, PITBULL])).status).toBe(200);
    kit.control.clearRequests();
    const contains = async () => (await kit.req(`/v1/me/library/contains?uris=${ALBUM},${PITBULL}`, { headers: kit.bearer(accessToken) })).json();
    expect(await contains()).toEqual([true, true]);
    expect((await lib("DELETE", [ALBUM, PITBULL])).status).toBe(200);
    expect(await contains()).toEqual([false, false]);
    expect((await lib("DELETE", ["spotify:playlist:x"])).status).toBe(400);
    const log = (await (await kit.req("/_control/requests")).json()) as { requests: Array<{ method: string; path: string; query: Json }> };
    expect(log.requests).toEqual([
      { method: "GET", path: "/v1/me/library/contains", query: { uris: `${ALBUM},${PITBULL}` } },
      { method: "GET", path: "/v1/me/library/contains", query: { uris: `${ALBUM},${PITBULL}` } },
    ]);
    expect((await kit.req("/_control/requests", { method: "DELETE" })).status).toBe(204);
    expect(kit.control.requests()).toEqual([]);
  });
});
