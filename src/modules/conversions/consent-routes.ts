import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { Ctx } from "../../context";
import { renderConsentPage } from "../../web/pages/render-consent-page";
import { renderMessagePage } from "../../web/pages/render-message-page";
import type { ClickIdRejectionCounter } from "./create-click-id-rejection-counter";
import { CONSENT_COOKIE, CONSENT_COOKIE_MAX_AGE_S, CONSENT_SUBJECT_COOKIE, readConsentState } from "./read-consent-state";
import { dropFanConversions } from "./privacy";
import { recordConsent } from "./record-consent";
import { CLICK_ID_SOURCES } from "./validate-click-id";
import { clearClickIdCookies, writeClickIdCookies } from "./write-click-id-cookies";

export interface ConsentRoutesDeps {
  ctxFor: (actor: Ctx["actor"]) => Ctx;
  config: Ctx["config"];
  rejections: ClickIdRejectionCounter;
  /** The Play user this browser is signed in as (signed Play cookie), to link the record; null when unknown. */
  resolvePlayUserId: (c: Context, ctx: Ctx) => Promise<string | null>;
}

/** Where to go after the choice: a same-origin path (`/…`, not `//…` or `/\…`), ≤ 2048 characters, or the settings page. */
function returnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048 || !/^\/(?![/\\])/.test(value) || /[\s\u0000-\u001f\u007f]/.test(value)) return "/legal/consent?saved=1";
  return value;
}

/**
 * `GET /legal/consent` (the fan's settings: accept, or withdraw) and `POST /legal/consent`
 * (form fields `choice` = `accept` | `decline` | `withdraw`, `return`, and the landing's
 * click-id parameters). The POST is refused cross-site (like Save), appends a consent
 * record (scope `ads`), sets `bb_consent` and, when needed, `bb_cid`, then:
 * accept → stores the posted click ids (validated again) in their cookies on this response;
 * decline / withdraw → clears every click-id cookie (Max-Age=0). Answers 303 to `return`.
 */
export function consentRoutes(deps: ConsentRoutesDeps): Hono {
  const { config } = deps;
  const app = new Hono();
  const secure = config.publicUrl.startsWith("https://");
  const publicOrigin = new URL(config.publicUrl).origin;

  app.get("/legal/consent", (c) => {
    const state = readConsentState(c, config.consent);
    c.header("Cache-Control", "no-store");
    return c.html(
      renderConsentPage({ publicUrl: config.publicUrl, mode: state.mode, policyVersion: state.policyVersion, choice: state.choice, adsAllowed: state.adsAllowed, saved: c.req.query("saved") === "1" }),
    );
  });

  app.post("/legal/consent", async (c) => {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    if ((origin && origin !== publicOrigin) || (!origin && site && site !== "same-origin" && site !== "none")) {
      return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 403, title: "Please use the buttons on the page", message: "Consent choices must come from this site's own pages.", backUrl: "/legal/consent" }), 403);
    }
    if (config.consent.mode === "off") {
      return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 400, title: "Consent isn't asked here", message: "This installation does not ask for consent, so there is nothing to change.", backUrl: "/legal/consent" }), 400);
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const choice = form["choice"];
    if (choice !== "accept" && choice !== "decline" && choice !== "withdraw") {
      return c.html(renderMessagePage({ publicUrl: config.publicUrl, status: 400, title: "Choose Accept or Decline", message: "choice: must be accept, decline or withdraw.", backUrl: "/legal/consent" }), 400);
    }
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const state = readConsentState(c, config.consent);
    // A random first-party id, created only now that there is a choice to remember.
    const subject = state.subject ?? randomBytes(16).toString("base64url");
    const granted = choice === "accept";
    const playUserId = await deps.resolvePlayUserId(c, ctx);
    await recordConsent({ ctx, input: { subject, playUserId, scope: "ads", granted } });
    const cookie = { path: "/", sameSite: "Lax" as const, secure, httpOnly: true, maxAge: CONSENT_COOKIE_MAX_AGE_S };
    setCookie(c, CONSENT_SUBJECT_COOKIE, subject, cookie);
    setCookie(c, CONSENT_COOKIE, `${granted ? "g" : "d"}.${config.consent.policyVersion}`, cookie);
    if (granted) {
      const params = new URLSearchParams();
      for (const source of CLICK_ID_SOURCES) {
        const value = form[source];
        if (typeof value === "string") params.set(source, value);
      }
      writeClickIdCookies(c, { params, now: ctx.clock.now(), secure, ensureFbp: false, rejections: deps.rejections });
    } else {
      clearClickIdCookies(c, { secure, all: true });
      // Queued conversions of this fan / browser are dropped now, before any delivery runs (P12).
      await dropFanConversions({ ctx, input: { playUserId, consentSubject: subject } });
    }
    return c.redirect(returnPath(form["return"]), 303);
  });

  return app;
}
