import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { buildApiObjects } from "./build-api-objects";
import type { EmulatedFan, EmulatorState, Grant, PlayRecord } from "./create-emulator-state";
import { createTrafficGuard } from "./create-traffic-guard";
import { isReleased } from "./is-released";

/** Spotify's message when a development-mode app is used by a user not on its allow-list. */
export const UNREGISTERED_USER_MESSAGE =
  "The user is not registered for this application. Please check your settings on https://developer.spotify.com/dashboard.";

/** `PUT /me/library` and friends accept at most 40 URIs. */
export const LIBRARY_URI_LIMIT = 40;
/** Legacy per-type endpoints accept at most 50 ids. */
export const LEGACY_ID_LIMIT = 50;
/** Development mode: `GET /artists/{id}/albums` pages hold at most 10 albums. */
export const ARTIST_ALBUMS_DEVELOPMENT_MAX_LIMIT = 10;
/** Recently played keeps only the last 50 plays. */
export const RECENTLY_PLAYED_LIMIT = 50;

const BASE62_ID = /^[0-9A-Za-z]{22}$/;

type Caller = { kind: "app" } | { kind: "user"; fan: EmulatedFan; grant: Grant; scopes: string[] };
type Env = { Variables: { caller: Caller } };

interface ParsedUri {
  type: "track" | "album" | "artist";
  id: string;
  uri: string;
}

class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

function apiError(c: Context, status: ContentfulStatusCode, message: string, reason?: string): Response {
  return c.json({ error: { status, message, ...(reason ? { reason } : {}) } }, status);
}

/** Spotify ids in the path must be base62; anything else is `400 invalid id`. */
function checkId(id: string): void {
  if (!BASE62_ID.test(id)) throw new ApiError(400, "invalid id");
}

function intParam(c: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError(400, `Invalid ${name}`);
  return n;
}

/** Validates `market`; `from_token` means the user's country. */
function marketParam(c: Context<Env>): string | null {
  const raw = c.req.query("market");
  if (raw === undefined || raw === "") return null;
  if (raw === "from_token") {
    const caller = c.get("caller");
    return caller.kind === "user" ? caller.fan.country : null;
  }
  if (!/^[A-Z]{2}$/.test(raw)) throw new ApiError(400, "Invalid market code");
  return raw;
}

function requireUser(c: Context<Env>): Extract<Caller, { kind: "user" }> {
  const caller = c.get("caller");
  // A client-credentials token carries no user: Spotify refuses user endpoints with 401.
  if (caller.kind !== "user") throw new ApiError(401, "Valid user authentication required");
  return caller;
}

function requireScope(caller: Extract<Caller, { kind: "user" }>, ...scopes: string[]): void {
  for (const scope of scopes) if (!caller.scopes.includes(scope)) throw new ApiError(403, "Insufficient client scope");
}

function splitList(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseLibraryUris(raw: string | undefined): ParsedUri[] {
  const list = splitList(raw);
  if (list.length === 0) throw new ApiError(400, "Missing required parameter: uris");
  if (list.length > LIBRARY_URI_LIMIT) throw new ApiError(400, "Too many ids requested");
  return list.map((uri) => {
    const m = /^spotify:([a-z]+):(.+)$/.exec(uri);
    if (!m) throw new ApiError(400, `Invalid URI: ${uri}`);
    const [, type = "", id = ""] = m;
    if (type !== "track" && type !== "album" && type !== "artist") {
      // Episodes, shows, audiobooks, users and playlists are not emulated.
      throw new ApiError(400, `Unsupported URI type: ${type}`);
    }
    if (!BASE62_ID.test(id)) throw new ApiError(400, "Invalid base62 id");
    return { type, id, uri };
  });
}

/** Items a fan can save right now: known, and released (Countdown Pages are not saveable). */
function isSaveable(state: EmulatorState, item: ParsedUri): boolean {
  const now = state.options.clock.now();
  if (item.type === "artist") return state.artists.has(item.id);
  const album = item.type === "album" ? state.albums.get(item.id) : state.albums.get(state.tracks.get(item.id)?.albumId ?? "");
  if (!album) return false;
  if (item.type === "track" && !state.tracks.has(item.id)) return false;
  return isReleased(album, now);
}

function isInLibrary(fan: EmulatedFan, item: ParsedUri): boolean {
  return item.type === "artist" ? fan.followed.has(item.id) : fan.library.has(item.uri);
}

/** Emulated Web API under `/v1`, with Spotify's paths, bodies, status codes and error bodies. */
export function createWebApiRoutes(state: EmulatorState): Hono<Env> {
  const app = new Hono<Env>();
  const o = buildApiObjects(state);
  const now = (): Date => state.options.clock.now();
  const development = (): boolean => state.options.quotaMode === "development";

  app.use("/v1/*", createTrafficGuard(state, "api"));

  app.use("/v1/*", async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) return apiError(c, 401, "No token provided");
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return apiError(c, 400, "Only valid bearer authentication supported");
    const record = state.accessTokens.get(m[1] ?? "");
    if (!record) return apiError(c, 401, "Invalid access token");
    if (now().getTime() >= record.expiresAt.getTime()) return apiError(c, 401, "The access token expired");
    if (record.kind === "app") {
      c.set("caller", { kind: "app" });
    } else {
      const grant = state.grants.get(record.grantId ?? "");
      const fan = grant && state.fans.get(grant.fanId);
      if (!grant || !fan || grant.revoked) return apiError(c, 401, "Invalid access token");
      if (development() && !fan.registered) return apiError(c, 403, UNREGISTERED_USER_MESSAGE);
      c.set("caller", { kind: "user", fan, grant, scopes: record.scopes });
    }
    await next();
  });

  // Handlers throw ApiError for Spotify-shaped failures; Hono routes them here.
  app.onError((err, c) => {
    if (err instanceof ApiError) return apiError(c, err.status, err.message, err.reason);
    return apiError(c, 500, "Server error.");
  });

  /** Development-mode apps lost the per-type library endpoints in February 2026. */
  const legacyGuard = (c: Context<Env>): Response | null => (development() ? apiError(c, 403, "Forbidden") : null);

  // ---- Catalog -------------------------------------------------------------------------

  app.get("/v1/tracks/:id", (c) => {
    const id = c.req.param("id");
    checkId(id);
    const market = marketParam(c);
    const resolution = o.resolveTrack(id, market);
    if (!resolution) throw new ApiError(404, "non existing id");
    return c.json(o.track(resolution, market));
  });

  app.get("/v1/albums/:id", (c) => {
    const id = c.req.param("id");
    checkId(id);
    const market = marketParam(c);
    const album = state.albums.get(id);
    if (!album) throw new ApiError(404, "non existing id");
    return c.json(o.album(album, market));
  });

  app.get("/v1/albums/:id/tracks", (c) => {
    const id = c.req.param("id");
    checkId(id);
    const market = marketParam(c);
    const limit = intParam(c, "limit", 20, 1, 50);
    const offset = intParam(c, "offset", 0, 0, 100_000);
    const album = state.albums.get(id);
    if (!album) throw new ApiError(404, "non existing id");
    const items = album.tracks.slice(offset, offset + limit).map((t) => o.simplifiedTrack(o.resolveTrack(t.id, null)!, market));
    return c.json(o.page({ path: `/albums/${id}/tracks`, items, limit, offset, total: album.tracks.length, ...(market ? { query: { market } } : {}) }));
  });

  app.get("/v1/artists/:id", (c) => {
    const id = c.req.param("id");
    checkId(id);
    if (!state.artists.has(id)) throw new ApiError(404, "non existing id");
    return c.json(o.artist(id));
  });

  app.get("/v1/artists/:id/albums", (c) => {
    const id = c.req.param("id");
    checkId(id);
    marketParam(c);
    // The 2026 reference documents default 5 / max 10 (development-mode limits); extended
    // quota apps keep the old 20 / 50 ("all existing behaviors remain unchanged").
    const limit = development() ? intParam(c, "limit", 5, 1, ARTIST_ALBUMS_DEVELOPMENT_MAX_LIMIT) : intParam(c, "limit", 20, 1, 50);
    const offset = intParam(c, "offset", 0, 0, 100_000);
    const groupsRaw = c.req.query("include_groups");
    const groups = groupsRaw ? splitList(groupsRaw) : ["album", "single", "compilation", "appears_on"];
    if (groups.some((g) => !["album", "single", "compilation", "appears_on"].includes(g))) throw new ApiError(400, "Invalid include_groups");
    if (!state.artists.has(id)) throw new ApiError(404, "non existing id");
    const all = [...state.albums.values()]
      .map((album) => {
        const group = album.artistIds.includes(id) ? album.albumType : album.tracks.some((t) => t.artistIds.includes(id)) ? "appears_on" : null;
        return { album, group };
      })
      .filter((x): x is { album: typeof x.album; group: NonNullable<typeof x.group> } => x.group !== null && groups.includes(x.group))
      .sort((a, b) => b.album.releaseDate.localeCompare(a.album.releaseDate));
    const items = all.slice(offset, offset + limit).map(({ album, group }) => ({ ...o.simplifiedAlbum(album), album_group: group }));
    return c.json(o.page({ path: `/artists/${id}/albums`, items, limit, offset, total: all.length, ...(groupsRaw ? { query: { include_groups: groups.join(",") } } : {}) }));
  });

  // ---- Current user --------------------------------------------------------------------

  app.get("/v1/me", (c) => {
    const caller = requireUser(c);
    return c.json(o.privateUser(caller.fan, caller.scopes));
  });

  const saveScopes = (items: ParsedUri[]): string[] => [
    ...(items.some((i) => i.type !== "artist") ? ["user-library-modify"] : []),
    ...(items.some((i) => i.type === "artist") ? ["user-follow-modify"] : []),
  ];

  app.put("/v1/me/library", (c) => {
    const caller = requireUser(c);
    const items = parseLibraryUris(c.req.query("uris"));
    requireScope(caller, ...saveScopes(items));
    if (items.some((i) => !isSaveable(state, i))) throw new ApiError(404, "Resource not found");
    const at = now();
    for (const item of items) {
      if (item.type === "artist") {
        if (!caller.fan.followed.has(item.id)) caller.fan.followed.set(item.id, at);
      } else if (!caller.fan.library.has(item.uri)) caller.fan.library.set(item.uri, at);
    }
    return c.body(null, 200);
  });

  app.delete("/v1/me/library", (c) => {
    const caller = requireUser(c);
    const items = parseLibraryUris(c.req.query("uris"));
    requireScope(caller, ...saveScopes(items));
    for (const item of items) {
      if (item.type === "artist") caller.fan.followed.delete(item.id);
      else caller.fan.library.delete(item.uri);
    }
    return c.body(null, 200);
  });

  app.get("/v1/me/library/contains", (c) => {
    const caller = requireUser(c);
    const items = parseLibraryUris(c.req.query("uris"));
    requireScope(caller, ...(items.some((i) => i.type !== "artist") ? ["user-library-read"] : []), ...(items.some((i) => i.type === "artist") ? ["user-follow-read"] : []));
    return c.json(items.map((i) => isInLibrary(caller.fan, i)));
  });

  // ---- Legacy per-type library endpoints (extended quota mode only) --------------------

  const legacyIds = async (c: Context<Env>): Promise<string[]> => {
    let ids = splitList(c.req.query("ids"));
    if (ids.length === 0 && c.req.header("content-type")?.includes("application/json")) {
      const body: unknown = await c.req.json().catch(() => null);
      if (body && typeof body === "object" && Array.isArray((body as { ids?: unknown }).ids)) {
        ids = ((body as { ids: unknown[] }).ids).filter((x): x is string => typeof x === "string");
      }
    }
    if (ids.length === 0) throw new ApiError(400, "Missing required field: ids");
    if (ids.length > LEGACY_ID_LIMIT) throw new ApiError(400, "Too many ids requested");
    if (ids.some((id) => !BASE62_ID.test(id))) throw new ApiError(400, "Invalid base62 id");
    return ids;
  };

  for (const type of ["track", "album"] as const) {
    const path = `/v1/me/${type}s`;
    app.put(path, async (c) => {
      const refused = legacyGuard(c);
      if (refused) return refused;
      const caller = requireUser(c);
      requireScope(caller, "user-library-modify");
      const items = (await legacyIds(c)).map((id) => ({ type, id, uri: `spotify:${type}:${id}` }));
      if (items.some((i) => !isSaveable(state, i))) throw new ApiError(404, "Resource not found");
      const at = now();
      for (const i of items) if (!caller.fan.library.has(i.uri)) caller.fan.library.set(i.uri, at);
      return c.body(null, 200);
    });
    app.delete(path, async (c) => {
      const refused = legacyGuard(c);
      if (refused) return refused;
      const caller = requireUser(c);
      requireScope(caller, "user-library-modify");
      for (const id of await legacyIds(c)) caller.fan.library.delete(`spotify:${type}:${id}`);
      return c.body(null, 200);
    });
    app.get(`${path}/contains`, async (c) => {
      const refused = legacyGuard(c);
      if (refused) return refused;
      const caller = requireUser(c);
      requireScope(caller, "user-library-read");
      return c.json((await legacyIds(c)).map((id) => caller.fan.library.has(`spotify:${type}:${id}`)));
    });
  }

  const artistType = (c: Context<Env>): void => {
    const type = c.req.query("type");
    if (type === "user") throw new ApiError(400, "Following users is not emulated");
    if (type !== "artist") throw new ApiError(400, "type must be artist");
  };

  app.put("/v1/me/following", async (c) => {
    const refused = legacyGuard(c);
    if (refused) return refused;
    const caller = requireUser(c);
    artistType(c);
    requireScope(caller, "user-follow-modify");
    const ids = await legacyIds(c);
    if (ids.some((id) => !state.artists.has(id))) throw new ApiError(404, "Resource not found");
    const at = now();
    for (const id of ids) if (!caller.fan.followed.has(id)) caller.fan.followed.set(id, at);
    return c.body(null, 204);
  });

  app.delete("/v1/me/following", async (c) => {
    const refused = legacyGuard(c);
    if (refused) return refused;
    const caller = requireUser(c);
    artistType(c);
    requireScope(caller, "user-follow-modify");
    for (const id of await legacyIds(c)) caller.fan.followed.delete(id);
    return c.body(null, 204);
  });

  app.get("/v1/me/following/contains", async (c) => {
    const refused = legacyGuard(c);
    if (refused) return refused;
    const caller = requireUser(c);
    artistType(c);
    requireScope(caller, "user-follow-read");
    return c.json((await legacyIds(c)).map((id) => caller.fan.followed.has(id)));
  });

  // ---- Reading the fan's library -------------------------------------------------------

  app.get("/v1/me/tracks", (c) => {
    const caller = requireUser(c);
    requireScope(caller, "user-library-read");
    const market = marketParam(c);
    const limit = intParam(c, "limit", 20, 1, 50);
    const offset = intParam(c, "offset", 0, 0, 100_000);
    const saved = [...caller.fan.library.entries()]
      .filter(([uri]) => uri.startsWith("spotify:track:"))
      .reverse(); // newest first
    const items = saved.slice(offset, offset + limit).map(([uri, addedAt]) => ({
      added_at: addedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      track: o.track(o.resolveTrack(uri.slice("spotify:track:".length), null)!, market),
    }));
    return c.json(o.page({ path: "/me/tracks", items, limit, offset, total: saved.length }));
  });

  app.get("/v1/me/following", (c) => {
    const caller = requireUser(c);
    artistType(c);
    requireScope(caller, "user-follow-read");
    const limit = intParam(c, "limit", 20, 1, 50);
    const after = c.req.query("after");
    const ids = [...caller.fan.followed.keys()].filter((id) => state.artists.has(id)).sort();
    const rest = after ? ids.filter((id) => id > after) : ids;
    const pageIds = rest.slice(0, limit);
    const last = pageIds.at(-1) ?? null;
    const more = rest.length > limit;
    return c.json({
      artists: {
        href: `${o.api("/me/following")}?${o.qs({ type: "artist", ...(after ? { after } : {}), limit: String(limit) })}`,
        items: pageIds.map((id) => o.artist(id)),
        limit,
        next: more && last ? `${o.api("/me/following")}?${o.qs({ type: "artist", after: last, limit: String(limit) })}` : null,
        cursors: { after: more ? last : null },
        total: ids.length,
      },
    });
  });

  // ---- Player --------------------------------------------------------------------------

  app.get("/v1/me/player/devices", (c) => {
    const caller = requireUser(c);
    requireScope(caller, "user-read-playback-state");
    return c.json({ devices: caller.fan.devices.map(o.device) });
  });

  app.put("/v1/me/player/play", async (c) => {
    const caller = requireUser(c);
    requireScope(caller, "user-modify-playback-state");
    const fan = caller.fan;
    if (fan.product !== "premium") throw new ApiError(403, "Player command failed: Premium required", "PREMIUM_REQUIRED");

    const text = await c.req.text();
    let body: { context_uri?: unknown; uris?: unknown } = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new ApiError(400, "Malformed json");
      }
    }
    let contextUri: string | null = null;
    let trackUris: string[] = [];
    if (body.context_uri !== undefined) {
      const m = typeof body.context_uri === "string" ? /^spotify:(album|artist|playlist):([0-9A-Za-z]{22})$/.exec(body.context_uri) : null;
      if (!m) throw new ApiError(400, "Invalid context uri");
      const [, type, id = ""] = m;
      const album = type === "album" ? state.albums.get(id) : undefined;
      if ((type === "album" && !album) || (type === "artist" && !state.artists.has(id)) || type === "playlist") throw new ApiError(404, "Resource not found");
      if (album && !isReleased(album, now())) throw new ApiError(403, "Player command failed: Restriction violated", "UNKNOWN");
      contextUri = body.context_uri as string;
    } else if (body.uris !== undefined) {
      if (!Array.isArray(body.uris) || body.uris.length === 0) throw new ApiError(400, "Invalid track uri");
      for (const uri of body.uris) {
        const m = typeof uri === "string" ? /^spotify:track:([0-9A-Za-z]{22})$/.exec(uri) : null;
        if (!m) throw new ApiError(400, `Invalid track uri: ${String(uri)}`);
        const t = state.tracks.get(m[1] ?? "");
        if (!t) throw new ApiError(404, "Resource not found");
      }
      trackUris = body.uris as string[];
    }

    const deviceId = c.req.query("device_id");
    const device = deviceId ? fan.devices.find((d) => d.id === deviceId) : fan.devices.find((d) => d.isActive);
    if (deviceId && !device) throw new ApiError(404, "Device not found");
    if (!device) throw new ApiError(404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
    for (const d of fan.devices) d.isActive = d === device;
    fan.playback = { deviceId: device.id, contextUri, trackUris, startedAt: now() };
    return c.body(null, 204);
  });

  app.get("/v1/me/player/recently-played", (c) => {
    const caller = requireUser(c);
    requireScope(caller, "user-read-recently-played");
    const limit = intParam(c, "limit", 20, 1, 50);
    const afterRaw = c.req.query("after");
    const beforeRaw = c.req.query("before");
    if (afterRaw && beforeRaw) throw new ApiError(400, "Only one of after or before may be specified");
    const cursor = (raw: string | undefined, name: string): number | null => {
      if (!raw) return null;
      if (!/^\d+$/.test(raw)) throw new ApiError(400, `Invalid ${name}`);
      return Number(raw);
    };
    const after = cursor(afterRaw, "after");
    const before = cursor(beforeRaw, "before");
    const newestFirst = [...caller.fan.plays].sort((a, b) => b.playedAt.getTime() - a.playedAt.getTime());
    let selected: PlayRecord[];
    if (after !== null) {
      // Forward paging: the plays right after the cursor, shown newest first.
      const newer = newestFirst.filter((p) => p.playedAt.getTime() > after);
      selected = newer.slice(Math.max(0, newer.length - limit));
    } else {
      const older = before !== null ? newestFirst.filter((p) => p.playedAt.getTime() < before) : newestFirst;
      selected = older.slice(0, limit);
    }
    const items = selected.map((p) => ({
      track:
        p.trackId === null
          ? o.localTrack(p)
          : o.track(
              p.linkedFromId
                ? { served: state.tracks.get(p.trackId)!, linkedFrom: state.tracks.get(p.linkedFromId)! }
                : o.resolveTrack(p.trackId, null)!,
              null,
            ),
      played_at: p.playedAt.toISOString(),
      context: o.context(p.contextUri),
    }));
    const newestMs = selected[0]?.playedAt.getTime();
    const oldestMs = selected.at(-1)?.playedAt.getTime();
    const hasOlder = oldestMs !== undefined && newestFirst.some((p) => p.playedAt.getTime() < oldestMs);
    const query = { limit: String(limit), ...(afterRaw ? { after: afterRaw } : {}), ...(beforeRaw ? { before: beforeRaw } : {}) };
    return c.json({
      items,
      next: hasOlder && oldestMs !== undefined ? `${o.api("/me/player/recently-played")}?${o.qs({ before: String(oldestMs), limit: String(limit) })}` : null,
      cursors: newestMs !== undefined && oldestMs !== undefined ? { after: String(newestMs), before: String(oldestMs) } : null,
      limit,
      href: `${o.api("/me/player/recently-played")}?${o.qs(query)}`,
    });
  });

  app.all("/v1/*", (c) => apiError(c, 404, "Service not found"));

  return app;
}
