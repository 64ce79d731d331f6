import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import type { Ctx } from "../context";
import { answerSaveCallback, consumeOauthState, OAUTH_NONCE_COOKIE, OauthStateError, type CtxFactory } from "../modules/play/index";
import { answerErasureCallback } from "../modules/privacy/index";
import { renderMessagePage } from "./pages/render-message-page";

/**
 * `GET /oauth/spotify/callback`: checks the state first (P03 — a missing, tampered,
 * unknown, replayed, expired, foreign-browser or wrong-provider state answers 400 and the
 * token endpoint is never called), then hands over to what the flow was started for: a
 * save / pre-save (play) or a data-deletion sign-in (privacy). Never a 500 for a known case.
 */
export function spotifyCallbackRoute(deps: { ctxFor: CtxFactory; config: Ctx["config"] }): Hono {
  const { config } = deps;
  const app = new Hono();
  app.get("/oauth/spotify/callback", async (c) => {
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const browserNonce = getCookie(c, OAUTH_NONCE_COOKIE);
    deleteCookie(c, OAUTH_NONCE_COOKIE, { path: "/oauth/spotify", secure: config.publicUrl.startsWith("https://") });
    let accepted;
    try {
      accepted = await consumeOauthState({ ctx, input: { provider: "spotify", state: c.req.query("state"), browserNonce } });
    } catch (err) {
      if (!(err instanceof OauthStateError)) throw err;
      ctx.logger.warn({ reason: err.reason }, "oauth state rejected");
      const message =
        err.reason === "expired"
          ? "This sign-in took longer than 10 minutes. Please go back and tap Save on Spotify again."
          : "This sign-in link isn't valid in this browser (it may have been used already). Please go back and tap Save on Spotify again.";
      return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 400, title: "Please start again", message }), 400);
    }
    const { intent, codeVerifier } = accepted;
    if (intent.action === "erase") return answerErasureCallback(c, deps, { codeVerifier });
    return answerSaveCallback(c, deps, { intent, codeVerifier });
  });
  return app;
}
