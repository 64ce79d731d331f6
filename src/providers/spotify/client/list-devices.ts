import type { PlaybackDevice } from "../port";
import type { ApiCaller } from "./context";
import { devicesSchema } from "./schemas";
import { PLAYBACK_TIMEOUT_MS } from "./start-playback";

/**
 * `GET /me/player/devices`. Needs `user-read-playback-state`.
 * https://developer.spotify.com/documentation/web-api/reference/get-a-users-available-devices
 */
export async function listDevices(call: ApiCaller): Promise<PlaybackDevice[]> {
  // Only used for best-effort playback: one short try, no retries.
  const res = await call({ method: "GET", path: "/me/player/devices", schema: devicesSchema, idempotent: false, timeoutMs: PLAYBACK_TIMEOUT_MS });
  return res.devices.map((d) => ({ id: d.id ?? null, name: d.name, type: d.type, isActive: d.is_active }));
}
