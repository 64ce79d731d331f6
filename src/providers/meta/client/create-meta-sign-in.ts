import { createHmac } from "node:crypto";
import { z } from "zod";
import type { SocialSignInConfig } from "../../../config";
import type { Clock } from "../../../lib/clock";
import { createHttpClient, type FailureClassification, type HttpClient, type HttpFailure } from "../../../lib/http/index";
import type { Logger } from "../../../lib/logger";
import type { MetaSignIn } from "../port";

const tokenResponse = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().int().positive().optional() });
const meResponse = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  picture: z.object({ data: z.object({ url: z.string().optional(), is_silhouette: z.boolean().optional() }) }).optional(),
});

/** Graph errors `{ error: { message, type, code, fbtrace_id } }`: code 190 → unauthorized; 1/101 (bad app credentials) → unauthorized. */
function classify(failure: HttpFailure): FailureClassification | undefined {
  const err = (failure.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof err?.code === "number" ? err.code : undefined;
  const detail = `code ${code ?? "?"}${typeof err?.message === "string" ? `: ${err.message}` : ""}`;
  if (code === 190 || code === 1 || code === 101 || failure.status === 401) return { kind: "unauthorized", detail };
  return { kind: "bad_request", detail };
}

/**
 * Facebook Login, manual flow
 * (https://developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow):
 * `GET {tokenUrl}?client_id&redirect_uri&client_secret&code` → user access token;
 * `GET {userinfoUrl}?fields=id,name,email,picture` with the token as Bearer and
 * `appsecret_proof` (HMAC-SHA256 of the token with the app secret, as Meta recommends).
 */
export function createMetaSignIn(config: SocialSignInConfig, deps: { clock: Clock; fetch?: typeof fetch; logger?: Logger }): MetaSignIn {
  const clients = new Map<string, HttpClient>();
  const at = (url: string): { http: HttpClient; path: string } => {
    const u = new URL(url);
    let http = clients.get(u.origin);
    if (!http) {
      http = createHttpClient({
        provider: "meta",
        baseUrl: u.origin,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
        secrets: [config.clientSecret],
        classify,
      });
      clients.set(u.origin, http);
    }
    return { http, path: u.pathname };
  };
  return {
    async exchangeCode({ code, redirectUri }) {
      const { http, path } = at(config.tokenUrl);
      const body = await http.request({
        method: "GET",
        path,
        query: { client_id: config.clientId, redirect_uri: redirectUri, client_secret: config.clientSecret, code },
        schema: tokenResponse,
        // A code is single use: never retried.
        idempotent: false,
        secrets: [code],
      });
      return {
        accessToken: body.access_token,
        ...(body.expires_in ? { expiresAt: new Date(deps.clock.now().getTime() + body.expires_in * 1000) } : {}),
        scopes: [],
      };
    },
    async readProfile(tokens) {
      const { http, path } = at(config.userinfoUrl);
      const proof = createHmac("sha256", config.clientSecret).update(tokens.accessToken).digest("hex");
      const me = await http.request({
        method: "GET",
        path,
        query: { fields: "id,name,email,picture", appsecret_proof: proof },
        headers: { authorization: `Bearer ${tokens.accessToken}` },
        schema: meResponse,
        secrets: [tokens.accessToken, proof],
      });
      return {
        subject: me.id,
        email: me.email?.toLowerCase() ?? null,
        // Meta only returns confirmed addresses.
        emailVerified: Boolean(me.email),
        name: me.name ?? "Facebook user",
        image: me.picture && !me.picture.data.is_silhouette ? (me.picture.data.url ?? null) : null,
      };
    },
  };
}
