import type { Context } from "hono";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { deletionRequests } from "../../db/schema/privacy";
import { clearPlayCookie, createOauthState, OAUTH_NONCE_COOKIE, PLAY_COOKIE, PLAY_COOKIE_MAX_AGE_S, readPlayCookie, SPOTIFY_FAN_SCOPES, SPOTIFY_FAN_SCOPE_REASONS, type CtxFactory } from "../play/index";
import { CLICK_ID_COOKIES, CONSENT_COOKIE, CONSENT_COOKIE_MAX_AGE_S, CONSENT_SUBJECT_COOKIE, FBP_COOKIE } from "../conversions/index";
import { renderDataDeletionPage } from "../../web/pages/render-data-deletion-page";
import { renderMessagePage } from "../../web/pages/render-message-page";
import { renderPrivacyPolicyPage } from "../../web/pages/render-privacy-policy-page";
import { completeErasureSignIn } from "./complete-erasure-sign-in";
import { eraseFanOnRequest } from "./erase-fan-on-request";

const CODE = /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

function days(seconds: number): string {
  const d = Math.round(seconds / 86400);
  return d >= 365 ? `${Math.round(d / 365)} year${d >= 730 ? "s" : ""}` : `${d} days`;
}

/**
 * Fans' privacy pages: `/legal/privacy` (P21: cookies and retention of this
 * configuration), `/data-deletion` (P17: prove control with the signed Play cookie or a
 * Spotify sign-in, erase at once, get a confirmation code) and its status page.
 */
export function privacyRoutes(deps: { ctxFor: CtxFactory; config: Ctx["config"] }): Hono {
  const { config } = deps;
  const app = new Hono();
  const secure = config.publicUrl.startsWith("https://");
  const publicOrigin = new URL(config.publicUrl).origin;

  const consentWhen = { "opt-in": "only after you accept", "opt-out": "unless you decline", off: "on every visit from an ad" }[config.consent.mode];
  app.get("/legal/privacy", (c) =>
    c.html(
      renderPrivacyPolicyPage({
        publicUrl: config.publicUrl,
        cookies: [
          { name: PLAY_COOKIE, purpose: "Remembers, after you authorized on Spotify, which Spotify account to save to next time (signed Spotify user id only). First-party, HttpOnly.", lifetime: days(PLAY_COOKIE_MAX_AGE_S) },
          { name: OAUTH_NONCE_COOKIE, purpose: "Ties a Spotify sign-in to the browser that started it (security).", lifetime: "10 minutes" },
          ...(config.consent.mode === "off"
            ? []
            : [
                { name: CONSENT_COOKIE, purpose: "Your ad-measurement choice (accepted or declined) and the policy version. First-party, HttpOnly.", lifetime: days(CONSENT_COOKIE_MAX_AGE_S) },
                { name: CONSENT_SUBJECT_COOKIE, purpose: "A random id set when you make a choice, so the choice is recorded (never derived from your IP address). First-party, HttpOnly.", lifetime: days(CONSENT_COOKIE_MAX_AGE_S) },
              ]),
          { name: CLICK_ID_COOKIES.gclid.name, purpose: `Google Ads click id from the link you followed (${consentWhen}). First-party, HttpOnly.`, lifetime: days(CLICK_ID_COOKIES.gclid.maxAgeS) },
          { name: CLICK_ID_COOKIES.gbraid.name, purpose: `Google Ads app/web click id (${consentWhen}). First-party, HttpOnly.`, lifetime: days(CLICK_ID_COOKIES.gbraid.maxAgeS) },
          { name: CLICK_ID_COOKIES.wbraid.name, purpose: `Google Ads web click id (${consentWhen}). First-party, HttpOnly.`, lifetime: days(CLICK_ID_COOKIES.wbraid.maxAgeS) },
          { name: CLICK_ID_COOKIES.fbclid.name, purpose: `Meta click id (fb.1.<time>.<fbclid>) (${consentWhen}). First-party; readable by the Meta pixel.`, lifetime: days(CLICK_ID_COOKIES.fbclid.maxAgeS) },
          { name: FBP_COOKIE.name, purpose: `Meta browser id (fb.1.<time>.<random number>) (${consentWhen}). First-party; readable by the Meta pixel.`, lifetime: days(FBP_COOKIE.maxAgeS) },
          { name: CLICK_ID_COOKIES.rdt_cid.name, purpose: `Reddit click id (${consentWhen}). First-party, HttpOnly.`, lifetime: days(CLICK_ID_COOKIES.rdt_cid.maxAgeS) },
        ],
        retention: [
          { what: "Spotify authorization (sealed tokens) and Play profile", period: "until you delete your data or revoke access on Spotify; Spotify ends the authorization six months after you gave it" },
          { what: "Visits, clicks, saves, follows and plays (with the page, campaign and referrer that led to them)", period: "until you delete your data; visit records carry a daily-changing hash, never your IP address" },
          { what: "Pre-saves and their delivery record", period: "until you delete your data" },
          { what: "Pending Spotify sign-ins", period: "deleted one hour after they expire (10 minutes)" },
          { what: "Data-deletion requests", period: "the confirmation code and date only, no personal data" },
        ],
        scopes: SPOTIFY_FAN_SCOPES.map((scope) => ({ scope, why: SPOTIFY_FAN_SCOPE_REASONS[scope] })),
        consent: config.consent,
      }),
    ),
  );

  const recognisedFan = (c: Context): Promise<string | null> => readPlayCookie(c, config.cookieSecret);

  app.get("/data-deletion", async (c) => c.html(renderDataDeletionPage({ publicUrl: config.publicUrl, recognised: (await recognisedFan(c)) !== null })));

  app.post("/data-deletion", async (c) => {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    if ((origin && origin !== publicOrigin) || (!origin && site && site !== "same-origin" && site !== "none")) {
      return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 403, title: "Please use the button on the page", message: "Deletion requests must come from this site's data-deletion page.", backUrl: "/data-deletion" }), 403);
    }
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const spotifyUserId = await recognisedFan(c);
    if (spotifyUserId) {
      const { confirmationCode } = await eraseFanOnRequest({ ctx, input: { spotifyUserId, proof: "play_cookie" } });
      clearPlayCookie(c, secure);
      return c.redirect(`/data-deletion/status/${confirmationCode}`, 303);
    }
    const { state, browserNonce, codeChallenge } = await createOauthState({ ctx, input: { provider: "spotify", intent: { action: "erase" } } });
    setCookie(c, OAUTH_NONCE_COOKIE, browserNonce, { httpOnly: true, secure, sameSite: "Lax", path: "/oauth/spotify", maxAge: 600 });
    // No scope: the sign-in only has to prove which account the fan controls.
    return c.redirect(ctx.music.accounts.authorizeUrl({ state, codeChallenge, scopes: [] }), 303);
  });

  app.get("/data-deletion/status/:code", async (c) => {
    const code = c.req.param("code").toUpperCase();
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const request = CODE.test(code) ? await ctx.db.query.deletionRequests.findFirst({ where: eq(deletionRequests.confirmationCode, code) }) : undefined;
    if (!request) {
      return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 404, title: "Unknown confirmation code", message: "We have no deletion request with this code. Check the code, or make a new request.", backUrl: "/data-deletion" }), 404);
    }
    const when = request.completedAt?.toISOString().replace("T", " ").slice(0, 16) ?? "";
    const message =
      request.status === "completed"
        ? `Request ${code}: completed on ${when} UTC. Your Spotify authorization, Play profile, pre-saves and engagement records were deleted. Counts that identify nobody remain.`
        : `Request ${code}: completed on ${when} UTC. We held no data about this Spotify account.`;
    return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 200, title: "Your data is deleted", message, path: `/data-deletion/status/${code}` }));
  });

  return app;
}

/** The data-deletion half of `/oauth/spotify/callback`, once the state was accepted. */
export async function answerErasureCallback(c: Context, deps: { ctxFor: CtxFactory; config: Ctx["config"] }, input: { codeVerifier: string }): Promise<Response> {
  const { config } = deps;
  const outcome = await completeErasureSignIn({
    ctx: deps.ctxFor({ kind: "fan", playUserId: null }),
    input: { codeVerifier: input.codeVerifier, code: c.req.query("code"), error: c.req.query("error") },
  });
  if (outcome.ok) {
    clearPlayCookie(c, config.publicUrl.startsWith("https://"));
    return c.redirect(`/data-deletion/status/${outcome.confirmationCode}`, 303);
  }
  const text = {
    cancelled: "You cancelled the Spotify sign-in, so nothing was deleted.",
    code_rejected: "Spotify didn't accept this sign-in. Please try again.",
    spotify_unavailable: "Spotify didn't answer, so nothing was deleted yet. Please try again in a minute.",
  }[outcome.reason];
  const status = outcome.reason === "spotify_unavailable" ? 503 : outcome.reason === "code_rejected" ? 400 : 200;
  return c.html(renderMessagePage({ publicUrl: config.publicUrl, status, title: "Nothing was deleted", message: text, backUrl: "/data-deletion" }), status);
}
