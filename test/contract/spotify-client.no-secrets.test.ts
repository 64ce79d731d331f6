/**
 * P02 for the Spotify client: across the full flow (every `MusicService` method, both quota
 * modes, see spotify-client-harness.ts) plus retries, rate limits, outages, a wrong client
 * secret and an upstream that echoes the credentials it received back in its error bodies,
 * no access token, refresh token, client secret, authorization code or code verifier appears
 * in any log line (pino at `trace`, written to memory) nor in any thrown error: its message,
 * its JSON, its `cause` chain or its stack (`util.inspect`).
 *
 * Every credential is collected from the wire itself (Authorization headers, token-endpoint
 * forms and answers) plus the ones the test hands out (codes, verifiers, the client secret),
 * so a token the test never looked at is covered too. Beyond whole values, any 24-character
 * slice of a credential counts as a leak (a truncated token is still a leak).
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/lib/logger";
import type { ProviderErrorKind } from "../../src/lib/provider-error";
import { createPkcePair } from "../../src/providers/spotify/client/index";
import { connectFan, exerciseEveryMethod, FAN_SCOPES, SEED, setupClientEnv, type ClientEnv } from "./spotify-client-harness";

const WINDOW = 24;

/** Labels of the secrets found in `text` (whole, or any WINDOW-character slice). */
function leaksIn(text: string, secrets: ReadonlyMap<string, string>): string[] {
  const found = new Set<string>();
  for (const [value, label] of secrets) {
    if (value.length < 8) continue;
    if (text.includes(value)) {
      found.add(label);
      continue;
    }
    for (let i = 0; i + WINDOW <= value.length; i++) {
      if (text.includes(value.slice(i, i + WINDOW))) {
        found.add(`${label} (partial)`);
        break;
      }
    }
  }
  return [...found];
}

function errorTexts(error: unknown): string[] {
  const texts = [inspect(error, { depth: 10 }), String(error)];
  try {
    texts.push(JSON.stringify(error));
  } catch {
    // not serialisable: inspect covers it
  }
  let cause: unknown = error;
  for (let i = 0; i < 5 && cause instanceof Error; i++) {
    texts.push(cause.message, cause.stack ?? "");
    cause = cause.cause;
  }
  return texts;
}

/** Outages, rate limits and retries (they log), a wrong client secret. */
async function exerciseFailures(env: ClientEnv): Promise<void> {
  const { control, clock, service } = env;
  const { store } = await connectFan(env, { displayName: "Failure Fan", key: `p02-${env.quotaMode}-failures` });
  const fan = service.forFan(store);
  control.injectFault({ pathPrefix: "/v1/me", status: 503, times: 1 });
  await fan.me(); // retried (warn)
  control.injectFault({ pathPrefix: "/v1/me", status: 429, retryAfterSeconds: 2, times: 1 });
  await fan.me(); // waited out (warn)
  control.injectFault({ pathPrefix: "/v1/me", status: 429, retryAfterSeconds: 60, times: 1 });
  await env.caught(fan.me(), "rate_limited");
  control.injectFault({ pathPrefix: "/v1/me", status: 502, times: 3 });
  await env.caught(fan.me(), "unavailable");
  clock.advance(3_600_000);
  control.injectFault({ pathPrefix: "/api/token", method: "POST", status: 503, times: 1 });
  await env.caught(fan.me(), "unavailable"); // the refresh is not replayed

  const pkce = createPkcePair();
  env.wire.challenges.add(pkce.challenge);
  env.wire.secrets.set(pkce.verifier, "code verifier");
  const someone = control.createFan({ displayName: "Slow Fan" });
  const { code } = control.authorizeFan({ fanId: someone.id, scopes: [...FAN_SCOPES], codeChallenge: pkce.challenge });
  env.wire.secrets.set(code, "authorization code");
  control.injectFault({ pathPrefix: "/api/token", method: "POST", status: 429, retryAfterSeconds: 60, times: 1 });
  await env.caught(service.accounts.exchangeCode({ code, codeVerifier: pkce.verifier }), "rate_limited");

  const wrongSecret = "9a8b7c6d5e4f30211203f4e5d6c7b8a9aabbccdd";
  env.wire.secrets.set(wrongSecret, "wrong client secret");
  await env.caught(env.serviceWith({ clientSecret: wrongSecret }).catalog.getTrack(SEED.oneMoreTime), "unauthorized");
}

/**
 * An upstream that echoes the credentials of each request back in its answer (some servers
 * and proxies do): the client must scrub them from every message it builds.
 */
async function exerciseEchoingUpstream(env: ClientEnv): Promise<void> {
  const { wire, service } = env;
  const { store } = await connectFan(env, { displayName: "Echo Fan", key: `p02-${env.quotaMode}-echo` });
  const fan = service.forFan(store);
  const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const credentialOf = (req: Request): string => (req.headers.get("authorization") ?? "").replace(/^\S+\s+/, "");
  const cases: Array<{ answer: (req: Request, form: URLSearchParams) => Response; run: () => Promise<unknown>; kind: ProviderErrorKind }> = [
    { answer: (req) => json(400, { error: { status: 400, message: `Malformed header: ${req.headers.get("authorization")}` } }), run: () => fan.me(), kind: "bad_request" },
    { answer: (req) => new Response(`token ${credentialOf(req)} is not registered`, { status: 403, headers: { "content-type": "text/plain" } }), run: () => fan.devices(), kind: "forbidden" },
    { answer: (req) => json(404, { error: { status: 404, message: credentialOf(req) } }), run: () => fan.recentlyPlayed({}), kind: "not_found" },
    { answer: (req) => json(500, { error: { status: 500, message: `upstream said ${credentialOf(req)}` } }), run: () => fan.savedTrackIds({}), kind: "unavailable" },
    { answer: (req) => json(200, { id: 42, echoed: credentialOf(req) }), run: () => fan.me(), kind: "invalid_response" },
    // Long bodies: the quoted text is cut to 200 characters; a cut must not keep part of a token.
    { answer: (req) => new Response(`${"y".repeat(170)} ${credentialOf(req)}`, { status: 403, headers: { "content-type": "text/plain" } }), run: () => fan.devices(), kind: "forbidden" },
    { answer: (req) => json(400, { error: { status: 400, message: `${"w ".repeat(90)}${credentialOf(req)}` } }), run: () => fan.me(), kind: "bad_request" },
    {
      answer: (_req, form) => json(400, { error: "invalid_grant", error_description: `refresh token ${form.get("refresh_token")} revoked` }),
      run: () => service.accounts.refresh(store.tokens.refreshToken),
      kind: "invalid_grant",
    },
    {
      answer: (_req, form) => json(400, { error: "invalid_grant", error_description: `${"z".repeat(170)} ${form.get("refresh_token")}` }),
      run: () => service.accounts.refresh(store.tokens.refreshToken),
      kind: "invalid_grant",
    },
    {
      answer: (_req, form) => json(400, { error: "invalid_grant", error_description: `code ${form.get("code")} / verifier ${form.get("code_verifier")}` }),
      run: () => service.accounts.exchangeCode({ code: "AQechoedAuthorizationCode0123456789", codeVerifier: "V".repeat(64) }),
      kind: "invalid_grant",
    },
    {
      answer: (req) => json(401, { error: "invalid_client", error_description: `bad ${req.headers.get("authorization")} (${credentialOf(req)})` }),
      run: () => service.accounts.refresh(store.tokens.refreshToken),
      kind: "unauthorized",
    },
  ];
  env.wire.secrets.set("AQechoedAuthorizationCode0123456789", "authorization code");
  env.wire.secrets.set("V".repeat(64), "code verifier");
  for (const c of cases) {
    let used = false;
    wire.intercept = (req, body) => {
      if (used && !req.url.includes("/v1/")) return undefined;
      used = true;
      return c.answer(req, new URLSearchParams(body));
    };
    await env.caught(c.run(), c.kind);
    wire.intercept = undefined;
  }
}

describe("Spotify client: no secret in logs or errors (P02)", () => {
  for (const quotaMode of ["extended", "development"] as const) {
    it(`holds across the full flow, failures and an echoing upstream (${quotaMode} quota mode)`, async () => {
      const lines: string[] = [];
      const logger = createLogger({ level: "trace", destination: { write: (line: string) => void lines.push(line) } });
      const env = setupClientEnv(quotaMode, { logger });

      await exerciseEveryMethod(env);
      await exerciseFailures(env);
      await exerciseEchoingUpstream(env);

      // The check has something to look at…
      const labels = new Set(env.wire.secrets.values());
      for (const label of ["client secret", "access token", "refresh token", "authorization code", "code verifier", "Authorization credential"]) {
        expect(labels, label).toContain(label);
      }
      expect(env.wire.secrets.size).toBeGreaterThan(20);
      expect(lines.some((l) => l.includes("provider call failed, retrying"))).toBe(true);
      expect(lines.some((l) => l.includes("401 with fan token, refreshing once"))).toBe(true);
      expect(env.errors.length).toBeGreaterThan(20);
      // …and would see a leak.
      const [someToken] = [...env.wire.secrets].find(([, label]) => label === "access token")!;
      expect(leaksIn(`x ${someToken.slice(10, 40)} y`, env.wire.secrets)).toEqual(["access token (partial)"]);

      const inLogs = lines.flatMap((line, i) => leaksIn(line, env.wire.secrets).map((what) => `log line ${i}: ${what}`));
      const inErrors = env.errors.flatMap((error, i) => errorTexts(error).flatMap((text) => leaksIn(text, env.wire.secrets).map((what) => `error ${i} (${String((error as Error).message).slice(0, 80)}): ${what}`)));
      expect(inLogs).toEqual([]);
      expect([...new Set(inErrors)]).toEqual([]);
    });
  }

  /**
   * For 5xx/429 (and unclassified 4xx) bodies the HTTP client quotes the vendor's text;
   * it must scrub credentials before cutting the quote to 200 characters, or a credential
   * echoed across the cut would leave a piece behind.
   */
  it("a 5xx body echoing a credential across the 200-character cut", async () => {
    const env = setupClientEnv("development");
    const { store } = await connectFan(env, { displayName: "Echo Fan", key: "p02-5xx-gap" });
    env.wire.intercept = (req) =>
      req.url.includes("/v1/")
        ? new Response(JSON.stringify({ error: { status: 500, message: `${"x".repeat(170)} ${(req.headers.get("authorization") ?? "").slice(7)}` } }), { status: 500 })
        : undefined;
    const error = await env.caught(env.service.forFan(store).savedTrackIds({}), "unavailable");
    expect(errorTexts(error).flatMap((t) => leaksIn(t, env.wire.secrets))).toEqual([]);
  });
});
