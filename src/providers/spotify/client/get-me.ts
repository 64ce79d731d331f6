import type { FanProfile } from "../port";
import type { ApiCaller } from "./context";
import { meSchema } from "./schemas";

/**
 * `GET /me`. `country` and `product` need `user-read-private` and may be absent for
 * development-mode apps: then `null`.
 * https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile
 * @throws ProviderError `unregistered_user` (development mode, fan not on the allow-list), `unauthorized`, …
 */
export async function getMe(call: ApiCaller): Promise<FanProfile> {
  const me = await call({ method: "GET", path: "/me", schema: meSchema });
  return { id: me.id, displayName: me.display_name ?? null, country: me.country ?? null, product: me.product ?? null };
}
