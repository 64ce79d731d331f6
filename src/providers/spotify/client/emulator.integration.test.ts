import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { SpotifyConfig } from "../../../config";
import { createFakeClock } from "../../../lib/clock";
import { createLogger } from "../../../lib/logger";
import { ProviderError } from "../../../lib/provider-error";
import { createSpotifyEmulator, RELINKED_TRACK } from "../emulator/index";
import { createPkcePair, createSpotifyService } from "./index";
import { memoryStore } from "./test-support";
import { catchProviderError as caught } from "../../../../test/harness/catch-provider-error";

/**
 * The real client against the emulator, mounted like the app mounts it, with the root
 * app's `fetch` injected: the code path that runs against api.spotify.com.
 */

const PUBLIC_URL = "http://127.0.0.1:3000";
const BASE_PATH = "/_emulator/spotify";
const SCOPES = [
  "user-read-private",
  "user-library-modify",
  "user-library-read",
  "user-follow-modify",
  "user-follow-read",
  "user-modify-playback-state",
  "user-read-playback-state",
  "user-read-recently-played",
];

const GLOBAL_WARMING = "4aawyAB9vmqN3uQ7FjRGTy";
const PITBULL = "0TnOYISbd1XYRBk9myaseg";
const DAFT_PUNK = "4tZwfgrHOc3mvqYlEYSvVi";
const ONE_MORE_TIME = "0DiWol3AO6WpXZgp0goxAV";

function setup(quotaMode: "extended" | "development") {
  const clock = createFakeClock("2026-11-29T12:00:00Z");
  const config: SpotifyConfig = {
    mode: "emulated",
    clientId: "backbeat-emulated-client",
    clientSecret: "backbeat-emulated-secret-0123456789abcdef",
    accountsUrl: `${PUBLIC_URL}${BASE_PATH}`,
    apiUrl: `${PUBLIC_URL}${BASE_PATH}/v1`,
    quotaMode,
    redirectUri: `${PUBLIC_URL}/oauth/spotify/callback`,
  };
  const emulator = createSpotifyEmulator({
    clock,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUris: [config.redirectUri],
    quotaMode,
    basePath: BASE_PATH,
    publicUrl: PUBLIC_URL,
  });
  const root = new Hono();
  root.route(BASE_PATH, emulator.app);
  const sleeps: number[] = [];
  const service = createSpotifyService(config, {
    clock,
    logger: createLogger({ level: "silent" }),
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => root.fetch(new Request(input, init))) as typeof fetch,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { clock, config, root, control: emulator.control, service, sleeps };
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);

/** The POST forms of an emulator page: action and hidden fields. */
function formsOf(html: string): Array<{ action: string; fields: Record<string, string> }> {
  return [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)].map((m) => ({
    action: unescape(m[1]!),
    fields: Object.fromEntries([...m[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((f) => [unescape(f[1]!), unescape(f[2]!)])),
  }));
}

async function post(root: Hono, action: string, fields: Record<string, string>): Promise<Response> {
  return root.request(`${PUBLIC_URL}${action}`, { method: "POST", body: new URLSearchParams(fields) });
}


/** Drives the emulator's consent pages like a browser; returns the callback URL. */
async function consent(root: Hono, authorizeUrl: string, displayName: string): Promise<URL> {
  const login = await root.request(authorizeUrl);
  expect(login.status).toBe(200);
  const create = formsOf(await login.text()).find((f) => f.action.endsWith("/authorize/fans"));
  expect(create).toBeDefined();
  const consentPage = await post(root, create!.action, {
    ...create!.fields,
    display_name: displayName,
    country: "SE",
    product: "premium",
    active_device: "on",
    registered: "on",
  });
  expect(consentPage.status).toBe(200);
  const decision = formsOf(await consentPage.text()).find((f) => f.action.endsWith("/authorize/decision"));
  expect(decision?.fields.fan_id).toBeTruthy();
  const redirect = await post(root, decision!.action, { ...decision!.fields, decision: "agree" });
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get("location")!);
}

describe.each(["extended", "development"] as const)("Spotify client ↔ emulator (%s quota)", (quotaMode) => {
  it("authorizes with PKCE, exchanges, reads the profile, saves and checks the library", async () => {
    const { root, service, config, control } = setup(quotaMode);
    const pkce = createPkcePair();
    const authorizeUrl = service.accounts.authorizeUrl({ state: "state-123", codeChallenge: pkce.challenge, scopes: SCOPES, showDialog: true });
    expect(authorizeUrl.startsWith(`${config.accountsUrl}/authorize?`)).toBe(true);

    const callback = await consent(root, authorizeUrl, "Fan One");
    expect(`${callback.origin}${callback.pathname}`).toBe(config.redirectUri);
    expect(callback.searchParams.get("state")).toBe("state-123");
    const code = callback.searchParams.get("code")!;

    const tokens = await service.accounts.exchangeCode({ code, codeVerifier: pkce.verifier });
    expect(tokens.scope.split(" ").sort()).toEqual([...SCOPES].sort());
    // A code is single-use.
    expect((await caught(service.accounts.exchangeCode({ code, codeVerifier: pkce.verifier }))).kind).toBe("invalid_grant");

    const store = memoryStore(tokens);
    const fan = service.forFan(store);
    const me = await fan.me();
    expect(me.displayName).toBe("Fan One");
    expect(control.getFan(me.id)).toBeDefined();

    const uris = [`spotify:album:${GLOBAL_WARMING}`, `spotify:artist:${PITBULL}`, `spotify:track:${ONE_MORE_TIME}`];
    await fan.saveToLibrary(uris);
    expect(await fan.libraryContains([...uris, `spotify:artist:${DAFT_PUNK}`])).toEqual([true, true, true, false]);
    const snapshot = control.getFan(me.id)!;
    expect(snapshot.followedArtistIds).toEqual([PITBULL]);
    expect(snapshot.libraryUris.sort()).toEqual([`spotify:album:${GLOBAL_WARMING}`, `spotify:track:${ONE_MORE_TIME}`].sort());

    expect((await fan.savedTrackIds({})).ids).toEqual([ONE_MORE_TIME]);
    expect(await fan.followedArtistIds({})).toEqual({ ids: [PITBULL], nextAfter: null });

    const devices = await fan.devices();
    expect(devices.some((d) => d.isActive)).toBe(true);
    await fan.startPlayback({ contextUri: `spotify:album:${GLOBAL_WARMING}` });
    expect(control.getFan(me.id)!.playback?.contextUri).toBe(`spotify:album:${GLOBAL_WARMING}`);
  });

  it("reads the catalog with the app token", async () => {
    const { service } = setup(quotaMode);
    const album = await service.catalog.getAlbum(GLOBAL_WARMING);
    expect(album.trackIds).toHaveLength(album.totalTracks);
    expect(album.firstTrackIsrc).toBe("USRC11201101");
    expect(album.artists[0]?.id).toBe(PITBULL);

    const relinked = await service.catalog.getTrack(RELINKED_TRACK.requestedId, RELINKED_TRACK.market);
    expect(relinked.id).toBe(RELINKED_TRACK.servedId);
    expect(relinked.linkedFromId).toBe(RELINKED_TRACK.requestedId);

    const releases = await service.catalog.listArtistReleases(DAFT_PUNK);
    expect(releases.map((r) => r.id)).toEqual(expect.arrayContaining(["2noRn2Aes5aoNVsU6iWThc", "4m2880jivSbbyEGAKfITCa"]));
    expect((await service.catalog.getArtist(DAFT_PUNK)).name).toBe("Daft Punk");
  });
});

describe("Spotify client ↔ emulator: tokens and faults", () => {
  async function connectedFan(quotaMode: "extended" | "development", registered = true) {
    const env = setup(quotaMode);
    const fanSnapshot = env.control.createFan({ displayName: "Fan Two", registered });
    const pkce = createPkcePair();
    const { code } = env.control.authorizeFan({ fanId: fanSnapshot.id, scopes: SCOPES, codeChallenge: pkce.challenge });
    const tokens = await env.service.accounts.exchangeCode({ code, codeVerifier: pkce.verifier });
    const store = memoryStore(tokens, `fan:${fanSnapshot.id}`);
    return { ...env, fanId: fanSnapshot.id, store, fan: env.service.forFan(store) };
  }

  it("refreshes an expired token, saves a rotated refresh token first, and reports revocation as invalid_grant", async () => {
    const { clock, control, store, fan, fanId } = await connectedFan("extended");
    control.setRefreshTokenRotation(true);
    const first = store.tokens;
    clock.advance(3600_000);
    await fan.me();
    expect(store.tokens.accessToken).not.toBe(first.accessToken);
    expect(store.tokens.refreshToken).not.toBe(first.refreshToken);
    expect(store.events.filter((e) => e.startsWith("save:"))).toHaveLength(1);

    control.setRefreshTokenRotation(false);
    const second = store.tokens;
    clock.advance(3600_000);
    await Promise.all([fan.me(), fan.devices(), fan.me()]);
    expect(store.tokens.refreshToken).toBe(second.refreshToken); // kept: none returned
    expect(store.events.filter((e) => e.startsWith("save:"))).toHaveLength(2); // one refresh for three calls

    control.revokeFan(fanId);
    const err = await caught(fan.me()); // 401 → refresh → invalid_grant
    expect(err.kind).toBe("invalid_grant");
    expect(err.retryable).toBe(false);
  });

  it("retries a 503, honours a short 429, raises rate_limited for a long one", async () => {
    const { control, fan, sleeps } = await connectedFan("development");
    control.injectFault({ pathPrefix: "/v1/me", status: 503, times: 1 });
    await fan.me();
    control.injectFault({ pathPrefix: "/v1/me", status: 429, retryAfterSeconds: 2, times: 1 });
    await fan.me();
    expect(sleeps).toEqual([125, 2000]);

    control.injectFault({ pathPrefix: "/v1/me", status: 429, retryAfterSeconds: 60, times: 1 });
    const limited = await caught(fan.me());
    expect([limited.kind, limited.retryAfterMs]).toEqual(["rate_limited", 60_000]);
    expect(control.pendingFaults()).toEqual([]);
  });

  it("maps a development-mode user that is not registered to unregistered_user", async () => {
    const { fan } = await connectedFan("development", false);
    expect((await caught(fan.me())).kind).toBe("unregistered_user");
  });

  it("maps player errors", async () => {
    const { control, fan, fanId } = await connectedFan("extended");
    control.updateFan(fanId, { hasActiveDevice: false });
    expect((await caught(fan.startPlayback({ contextUri: `spotify:album:${GLOBAL_WARMING}` }))).kind).toBe("no_active_device");
    control.updateFan(fanId, { product: "free", hasActiveDevice: true });
    expect((await caught(fan.startPlayback({ uris: [`spotify:track:${ONE_MORE_TIME}`] }))).kind).toBe("premium_required");
  });

  it("reads recently played after a cursor, with local files", async () => {
    const { control, fan, fanId } = await connectedFan("extended");
    control.recordPlay(fanId, ONE_MORE_TIME, "2026-11-29T10:00:00Z");
    control.recordPlay(fanId, null, "2026-11-29T10:05:00Z", { localName: "demo.mp3" });
    const all = await fan.recentlyPlayed({ afterMs: Date.parse("2026-11-29T09:00:00Z") });
    expect(all.items.map((i) => [i.trackId, i.isLocal, i.playedAt.toISOString()]).sort()).toEqual(
      [
        [ONE_MORE_TIME, false, "2026-11-29T10:00:00.000Z"],
        [null, true, "2026-11-29T10:05:00.000Z"],
      ].sort(),
    );
    expect(all.nextAfterMs).toBe(Date.parse("2026-11-29T10:05:00Z"));
    expect(await fan.recentlyPlayed({ afterMs: all.nextAfterMs! })).toEqual({ items: [], nextAfterMs: null });
  });
});
