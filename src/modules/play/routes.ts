import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { LRUCache } from "lru-cache";
import { eq, and, desc } from "drizzle-orm";
import type { Ctx } from "../../context";
import type { LandingContext } from "../../db/schema/attribution";
import { artists, playUsers, smartLinks, type PixelIds } from "../../db/schema/play";
import { renderArtistHubPage } from "../../web/pages/render-artist-hub-page";
import { renderMessagePage } from "../../web/pages/render-message-page";
import { renderSaveResultPage } from "../../web/pages/render-save-result-page";
import { renderSmartLinkPage } from "../../web/pages/render-smart-link-page";
import { resolveTheme, THEME_NAMES, type ThemeName } from "../../web/pages/themes";
import { newId } from "../../lib/ids";
import { classifyVisit } from "../attribution/classify-visit";
import { detectInAppBrowser } from "../attribution/detect-in-app-browser";
import { hashNetwork } from "../attribution/hash-network";
import { hashVisitor } from "../attribution/hash-visitor";
import { readLandingContext } from "../attribution/read-landing-context";
import {
  createClickIdRejectionCounter,
  CLICK_ID_SOURCES,
  linkConsentToFan,
  prepareAdMeasurement,
  readClickIds,
  readConsentState,
  buildPlayCsp,
  pixelsInUse,
  type AdMeasurement,
  type ClickIdRejectionCounter,
  type PixelEventType,
} from "../conversions/index";
import { renderConsentBanner } from "../../web/pages/render-consent-banner";
import { renderPixelScript } from "../../web/pages/render-pixel-script";
import { decodeTime } from "ulid";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { signValue } from "../../lib/sign-value";
import type { AdRequest } from "../attribution/create-event-buffer";
import { completeSpotifyAuthorization, type AuthorizationFailure } from "./complete-spotify-authorization";
import type { CacheReset } from "./create-cache-reset";
import { createOauthState, type SaveIntent } from "./create-oauth-state";
import type { SmartLink } from "./create-smart-link";
import { REFRESH_TOKEN_LIFETIME_MS } from "./deliver-presaves";
import type { Artist } from "./ensure-artist";
import { findLanding } from "./find-landing";
import { isUnreleased } from "./is-unreleased";
import { needsReauthorization, runFanAction, type StepOutcome } from "./run-fan-action";
import { readPlayCookie, writePlayCookie } from "./play-cookie";
import { SPOTIFY_FAN_SCOPES } from "./spotify-scopes";

export { PLAY_COOKIE, PLAY_COOKIE_MAX_AGE_S } from "./play-cookie";
/** Browser binding for an OAuth flow in progress (P03); lives as long as the state. */
export const OAUTH_NONCE_COOKIE = "play_oauth_nonce";

export type CtxFactory = (actor: Ctx["actor"]) => Ctx;

interface Landing {
  link: SmartLink;
  artist: Artist;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

const CLICK_ID_PARAMS = ["gclid", "gbraid", "wbraid", "fbclid", "rdt_cid", "ttclid", "msclkid"];
const CARRIED_PARAMS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", ...CLICK_ID_PARAMS];

function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    // The last entry is the one our (single, trusted) proxy added; earlier ones are
    // whatever the client claimed and could be forged to mint new visitor hashes.
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "";
}

/**
 * The query the Save form carries to `…/save`, so the tap keeps its landing context:
 * known UTM and click-id parameters (bounded) and the landing referrer host as `ref`.
 */
function carriedQuery(url: URL, referrerHost: string | null): string {
  const out = new URLSearchParams();
  for (const name of CARRIED_PARAMS) {
    const value = url.searchParams.get(name);
    if (value) out.set(name, value.slice(0, 200));
  }
  if (referrerHost) out.set("ref", referrerHost);
  return out.toString();
}

/**
 * The theme the fan saw on the landing page, carried by the page's own links (`?theme=`) to
 * the Save form, `/go/{service}` and `/open-in-browser`, so those events record the page as
 * it was shown even if the artist changed the theme meanwhile. A missing or unknown value
 * falls back to the link's current theme.
 */
function themeSeen(url: URL, current: string): ThemeName {
  const carried = url.searchParams.get("theme");
  return carried && (THEME_NAMES as readonly string[]).includes(carried) ? (carried as ThemeName) : resolveTheme(current).name;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The referrer of a service click: the landing's, carried as `?ref=` by the page's links;
 * without it, the Referer header's host unless that is our own page (then null), so a click
 * never names Backbeat itself as what brought the fan.
 */
function clickReferrer(url: URL, referer: string | undefined, publicOrigin: string): string | null | undefined {
  const ref = url.searchParams.get("ref");
  if (ref && /^[a-z0-9.-]{1,253}$/.test(ref)) return ref;
  if (!referer) return undefined;
  try {
    return new URL(referer).origin === publicOrigin ? null : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds `theme=<name>` to the page's own Save form, service links and open-in-browser link
 * (done once per rendered page, before it is cached: the page and the theme it shows are
 * cached together).
 */
function carryTheme(html: string, path: string, theme: ThemeName): string {
  const escaped = escapeRegExp(path);
  return html
    .replace(`action="${path}/save"`, `action="${path}/save?theme=${theme}"`)
    .replace(`href="${path}/open-in-browser"`, `href="${path}/open-in-browser?theme=${theme}"`)
    .replace(new RegExp(`href="(${escaped}/go/[a-z_]+)"`, "g"), `href="$1?theme=${theme}"`);
}

/** A pre-generated engagement event id from a `/go` link: `evt_` + lower-case ULID. */
const EVENT_ID = /^evt_[0-9a-hjkmnp-tv-z]{26}$/;
/** How old a pre-generated id may be when its click arrives (the page may stay open a while). */
const EVENT_ID_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The signature (`es`) of a pre-generated event id, binding it to the `/go` link it was
 * rendered on and to the visitor it was rendered for (the daily visitor hash: IP + user
 * agent). HMAC-SHA256 with a key of its own (`signValue` purpose `play-eid`), 22 chars.
 */
function signEventId(secret: string, eid: string, href: string, visitorHash: string): string {
  return signValue(secret, "play-eid", `${eid}|${href}|${visitorHash}`).slice(0, 22);
}

/**
 * The id a `/go` click is stored under: the `eid` the page's pixel fired with, when it is
 * well-formed, was generated by us within the last day (its ULID time) and its signature
 * `es` matches this link and this visitor; else a new one. So an id seen elsewhere (another
 * fan's page, another link) cannot be replayed to take over or duplicate that event: it
 * is stored under a fresh id instead (and a repeat by the same visitor on the same link is
 * the same click: `on conflict do nothing`).
 */
function clickEventId(input: { raw: string | undefined; signature: string | undefined; sign: (eid: string) => string; now: Date }): string {
  const { raw, signature, now } = input;
  if (raw && signature && EVENT_ID.test(raw) && signature.length === 22) {
    const at = decodeTime(raw.slice(4).toUpperCase());
    const expected = Buffer.from(input.sign(raw));
    const fresh = at <= now.getTime() + 60_000 && at >= now.getTime() - EVENT_ID_MAX_AGE_MS;
    if (fresh && timingSafeEqual(expected, Buffer.from(signature.padEnd(22).slice(0, 22)))) return raw;
  }
  return newId("event", now);
}

/**
 * Per-request additions to a cached Play page (the cached HTML is the same for everyone):
 * the consent banner when a choice is asked; the pixels and, on each service link, a
 * pre-generated event id (`data-eid`, and `?eid=` for the server) when pixels load.
 */
function decoratePage(
  html: string,
  ads: AdMeasurement,
  input: { returnPath: string; url: URL; now: Date; fire?: ReadonlyArray<{ type: PixelEventType; eventId: string }>; bannerDone?: boolean; signEventId: (eid: string, href: string) => string },
): string {
  let out = html;
  if (ads.pixels && ads.nonce) {
    out = out.replace(/<a class="svc" href="([^"?]+\/go\/[a-z_]+)(?:\?([^"]*))?"/g, (_m, href: string, query: string | undefined) => {
      const id = newId("event", input.now);
      return `<a class="svc" href="${href}?${query ? `${query}&amp;` : ""}eid=${id}&amp;es=${input.signEventId(id, href)}" data-eid="${id}"`;
    });
    out = out.replace("</body>", `${renderPixelScript({ pixels: ads.pixels, nonce: ads.nonce, fire: input.fire ?? [] })}</body>`);
  }
  if (ads.consent.askForChoice && ads.consent.mode !== "off" && !input.bannerDone) {
    const clickIds: Array<[string, string]> = [];
    for (const source of CLICK_ID_SOURCES) {
      const value = input.url.searchParams.get(source);
      if (value) clickIds.push([source, value]);
    }
    out = out.replace("</main>", `</main>${renderConsentBanner({ returnPath: input.returnPath, clickIds, mode: ads.consent.mode })}`);
  }
  return out;
}

/**
 * Public Play routes: artist hubs, smart-link landing pages (the hot path: cached per
 * node, answered before events are persisted), tracked outbound clicks, the Save on
 * Spotify flow and its OAuth callback.
 */
export function playRoutes(deps: { ctxFor: CtxFactory; config: Ctx["config"]; cacheReset?: CacheReset; rejections?: ClickIdRejectionCounter }): Hono {
  const { config } = deps;
  const app = new Hono();
  const secure = config.publicUrl.startsWith("https://");
  const rejections = deps.rejections ?? createClickIdRejectionCounter({ logger: deps.ctxFor({ kind: "system" }).logger, now: Date.now });
  /** Consent, click-id cookies, pixels and CSP of a Play request (conversions module, P10). */
  const measure = (c: Context, ctx: Ctx, url: URL, page: boolean, pixels?: PixelIds | null) =>
    prepareAdMeasurement(c, { consent: config.consent, secure, now: ctx.clock.now(), url, pixels: pixels ?? null, page, rejections });
  const publicOrigin = new URL(config.publicUrl).origin;
  // Per-node cache of landing data; short TTL so edits on any node show within seconds.
  const landings = new LRUCache<string, Landing | false>({ max: 10_000, ttl: 5_000 });
  const pages = new LRUCache<string, string>({ max: 10_000, ttl: 5_000 });
  deps.cacheReset?.onReset(() => {
    landings.clear();
    pages.clear();
  });

  async function landing(ctx: Ctx, artistSlug: string, linkSlug: string): Promise<Landing | null> {
    // Slugs are lower-case ASCII words; anything else (NUL bytes, odd encodings) is a 404
    // without touching the database.
    if (!SLUG.test(artistSlug) || !SLUG.test(linkSlug)) return null;
    const key = `${artistSlug}/${linkSlug}`;
    const cached = landings.get(key);
    if (cached !== undefined) return cached || null;
    const found = await findLanding(ctx.db, artistSlug, linkSlug);
    landings.set(key, found ?? false);
    return found;
  }

  /** The landing context of a request, with the theme of the page the fan saw. */
  function contextOf(c: Context, path: string, theme: ThemeName, referrerOverride?: string | null, url = new URL(c.req.url)): LandingContext {
    const context = readLandingContext({ url, headers: c.req.raw.headers, countryHeader: config.countryHeader });
    return { ...context, path, theme, ...(referrerOverride !== undefined ? { referrerHost: referrerOverride } : {}) };
  }

  function visitorHash(c: Context, ctx: Ctx): string {
    return hashVisitor({
      secret: config.visitorHashSecret,
      day: ctx.clock.now().toISOString().slice(0, 10),
      ip: clientIp(c, config.trustProxy),
      userAgent: c.req.header("user-agent") ?? "",
    });
  }

  /** Signs pre-generated event ids for this request's visitor (the visitor hash is computed once, on first use). */
  function eidSigner(c: Context, ctx: Ctx): (eid: string, href: string) => string {
    let hash: string | null = null;
    return (eid, href) => signEventId(config.cookieSecret, eid, href, (hash ??= visitorHash(c, ctx)));
  }

  /**
   * What ad platforms get of this request (P11, P12): its IP, user agent and consent id, only
   * when ad consent holds for it; kept (sealed) on the conversion outbox rows only.
   */
  function adRequestOf(c: Context, ads: AdMeasurement): AdRequest | null {
    if (!ads.consent.adsAllowed) return null;
    const ip = clientIp(c, config.trustProxy);
    return { ip: isIP(ip) ? ip : null, userAgent: c.req.header("user-agent") || null, consentSubject: ads.consent.subject };
  }

  /**
   * Runs the traffic gate (exclusion reasons, dedupe, velocity; counts the request under its
   * kind): landing pages, and service clicks with `click`.
   */
  function screen(c: Context, ctx: Ctx, artistId: string, smartLinkId: string, click?: { service: string }) {
    return ctx.traffic.screen({
      method: c.req.method,
      headers: c.req.raw.headers,
      ip: clientIp(c, config.trustProxy),
      visitorHash: () => visitorHash(c, ctx),
      artistId,
      smartLinkId,
      ...(click ? { kind: "service_click" as const, service: click.service } : {}),
      now: ctx.clock.now(),
    });
  }

  /**
   * A message page; for a known link, in that link's theme with "Go back" to it (`backUrl`,
   * by default the link's path).
   */
  const message = (c: Context, status: 200 | 400 | 403 | 404 | 503, title: string, text: string, from?: Landing, backUrl?: string) =>
    c.html(
      renderMessagePage({
        publicUrl: config.publicUrl,
        status,
        title,
        message: text,
        ...(from ? { backUrl: backUrl ?? `/${from.artist.slug}/${from.link.slug}`, theme: from.link.theme } : {}),
      }),
      status,
    );

  const notFoundPage = (c: Context) => message(c, 404, "Page not found", "This link doesn't exist or isn't published.");

  // ---- Artist hub -------------------------------------------------------------------
  app.get("/:artistSlug", async (c) => {
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const slug = c.req.param("artistSlug");
    const artist = SLUG.test(slug) ? await ctx.db.query.artists.findFirst({ where: eq(artists.slug, slug) }) : undefined;
    if (!artist || !artist.hubPublished) return notFoundPage(c);
    const links = await ctx.db.query.smartLinks.findMany({
      where: and(eq(smartLinks.artistId, artist.id), eq(smartLinks.published, true)),
      orderBy: desc(smartLinks.releaseDate),
      limit: 200,
    });
    const verdict = screen(c, ctx, artist.id, "");
    if (verdict.counted) {
      ctx.events.enqueue({ type: "VIEW", artistId: artist.id, smartLinkId: null, visitorHash: verdict.visitorHash, context: contextOf(c, `/${artist.slug}`, resolveTheme(artist.hubTheme).name) });
    }
    const url = new URL(c.req.url);
    const ads = measure(c, ctx, url, true);
    const html = renderArtistHubPage({ artist, links, publicUrl: config.publicUrl, now: ctx.clock.now() });
    return c.html(decoratePage(html, ads, { returnPath: url.pathname + url.search, url, now: ctx.clock.now(), signEventId: eidSigner(c, ctx) }));
  });

  // ---- Smart link landing page (hot path) -----------------------------------------
  app.get("/:artistSlug/:linkSlug", async (c) => {
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const { artistSlug, linkSlug } = c.req.param();
    const found = await landing(ctx, artistSlug, linkSlug);
    if (!found) return notFoundPage(c);
    const ua = c.req.header("user-agent") ?? "";
    const inApp = detectInAppBrowser(ua);
    const now = ctx.clock.now();
    const path = `/${found.artist.slug}/${found.link.slug}`;
    const verdict = screen(c, ctx, found.artist.id, found.link.id);
    const url = new URL(c.req.url);
    const ads = measure(c, ctx, url, true, found.link.pixels);
    // A bare URL's banner is the same for everyone: it is part of the cached page, so the
    // common first visit costs no extra rendering (a URL with a query gets it per request).
    const cachedBanner = ads.consent.askForChoice && ads.consent.mode !== "off" && url.search === "";
    const pageKey = `${found.link.id}:${found.link.updatedAt.getTime()}:${inApp ?? ""}:${isUnreleased(found.link, now) ? "pre" : "out"}:${cachedBanner ? ads.consent.mode : ""}`;
    // The theme this page shows (an unknown stored name renders as classic).
    const theme = resolveTheme(found.link.theme).name;
    let html = pages.get(pageKey);
    if (html === undefined) {
      html = carryTheme(renderSmartLinkPage({ link: found.link, artist: found.artist, publicUrl: config.publicUrl, inAppBrowser: inApp, saveEnabled: true, now }), path, theme);
      if (cachedBanner && ads.consent.mode !== "off") {
        html = html.replace("</main>", `</main>${renderConsentBanner({ returnPath: path, clickIds: [], mode: ads.consent.mode })}`);
      }
      pages.set(pageKey, html);
    }
    // The landing context is read only when something uses it: a counted view, or a query /
    // referrer to carry to the Save form (a bare repeat request skips the parsing).
    const context = verdict.counted || url.search !== "" || c.req.header("referer") ? contextOf(c, path, theme, undefined, url) : null;
    if (verdict.counted) {
      ctx.events.enqueue({ type: "VIEW", artistId: found.artist.id, smartLinkId: found.link.id, visitorHash: verdict.visitorHash, context: context! });
    }
    const query = context ? carriedQuery(url, context.referrerHost) : "";
    if (query) {
      // The tap (and the switch out of an in-app browser) keeps the landing context (P08).
      const attr = query.replaceAll("&", "&amp;");
      html = html
        .replace(`action="${path}/save?theme=${theme}"`, `action="${path}/save?${attr}&amp;theme=${theme}"`)
        .replace(`href="${path}/open-in-browser?theme=${theme}"`, `href="${path}/open-in-browser?${attr}&amp;theme=${theme}"`)
        // Service clicks are attributed like saves: to the campaign and referrer that brought the fan.
        .replace(new RegExp(`href="(${escapeRegExp(path)}/go/[a-z_]+)\\?theme=${theme}"`, "g"), `href="$1?${attr}&amp;theme=${theme}"`);
    }
    return c.html(decoratePage(html, ads, { returnPath: url.pathname + url.search, url, now, bannerDone: cachedBanner, signEventId: eidSigner(c, ctx) }));
  });

  // ---- Tracked outbound click --------------------------------------------------------
  app.get("/:artistSlug/:linkSlug/go/:service", async (c) => {
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const { artistSlug, linkSlug, service } = c.req.param();
    const found = await landing(ctx, artistSlug, linkSlug);
    const target = found?.link.services.find((s) => s.service === service && !s.hidden);
    if (!found || !target) return notFoundPage(c);
    // The same gate as the landing (machine traffic, data-center addresses, velocity, a
    // repeated tap on one service inside the dedupe window): only counted clicks are events.
    const verdict = screen(c, ctx, found.artist.id, found.link.id, { service });
    const url = new URL(c.req.url);
    const ads = measure(c, ctx, url, false);
    if (verdict.counted) {
      const href = `/${found.artist.slug}/${found.link.slug}/go/${service}`;
      const sign = eidSigner(c, ctx);
      ctx.events.enqueue({
        // The id the page's pixel fired with, so the platforms deduplicate (conversions README).
        id: clickEventId({ raw: c.req.query("eid"), signature: c.req.query("es"), sign: (eid) => sign(eid, href), now: ctx.clock.now() }),
        adRequest: adRequestOf(c, ads),
        type: "SERVICE_CLICK",
        artistId: found.artist.id,
        smartLinkId: found.link.id,
        visitorHash: verdict.visitorHash,
        context: contextOf(c, `/${found.artist.slug}/${found.link.slug}`, themeSeen(url, found.link.theme), clickReferrer(url, c.req.header("referer"), publicOrigin), url),
        detail: { service, ...(ads.clickIds ? { clickIds: ads.clickIds } : {}) },
      });
    }
    // Only ever the stored, validated URL (no open redirect).
    return c.redirect(target.url, 302);
  });

  // ---- In-app browser: record the step and help the fan out --------------------------
  app.get("/:artistSlug/:linkSlug/open-in-browser", async (c) => {
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const { artistSlug, linkSlug } = c.req.param();
    const found = await landing(ctx, artistSlug, linkSlug);
    if (!found) return notFoundPage(c);
    const path = `/${found.artist.slug}/${found.link.slug}`;
    const ua = c.req.header("user-agent") ?? "";
    const url = new URL(c.req.url);
    const ref = url.searchParams.get("ref");
    const referrerHost = ref && /^[a-z0-9.-]{1,253}$/.test(ref) ? ref : null;
    const context = contextOf(c, path, themeSeen(url, found.link.theme), referrerHost, url);
    if (classifyVisit({ method: c.req.method, headers: c.req.raw.headers }).counted) {
      ctx.events.enqueue({
        type: "OPEN_IN_BROWSER",
        artistId: found.artist.id,
        smartLinkId: found.link.id,
        visitorHash: visitorHash(c, ctx),
        context,
        detail: { inAppBrowser: detectInAppBrowser(ua) },
      });
    }
    // The landing in the real browser keeps the UTM, click ids and referrer of this one.
    const query = carriedQuery(url, referrerHost);
    const landingUrl = query ? `${path}?${query}` : path;
    if (/Android/i.test(ua)) {
      // Chrome on Android opens intent:// URLs outside the in-app webview.
      const target = new URL(landingUrl, config.publicUrl);
      return c.redirect(`intent://${target.host}${target.pathname}${target.search}#Intent;scheme=${target.protocol.replace(":", "")};end`, 302);
    }
    return message(
      c,
      200,
      "Open in your browser",
      "Tap the ••• or share button at the top of this screen and choose “Open in browser” (or “Open in Safari”), then tap Save on Spotify.",
      found,
      landingUrl,
    );
  });

  // ---- Save on Spotify ---------------------------------------------------------------
  app.post("/:artistSlug/:linkSlug/save", async (c) => {
    // P07: only the fan's own tap on this site may trigger a save; refuse cross-site posts.
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
    const { artistSlug, linkSlug } = c.req.param();
    if ((origin && origin !== publicOrigin) || (!origin && site && site !== "same-origin" && site !== "none")) {
      // Refused before anything is read from the request or written; the link only themes the page.
      const known = await landing(ctx, artistSlug, linkSlug);
      return message(c, 403, "Please tap the button on the page", "For your safety we only save when you tap Save on Spotify on the release page.", known ?? undefined);
    }
    const found = await landing(ctx, artistSlug, linkSlug);
    if (!found) return notFoundPage(c);
    const { link, artist } = found;
    const path = `/${artist.slug}/${link.slug}`;
    const url = new URL(c.req.url);
    const ref = url.searchParams.get("ref");
    const context = contextOf(c, path, themeSeen(url, link.theme), ref && /^[a-z0-9.-]{1,253}$/.test(ref) ? ref : null, url);
    const hash = visitorHash(c, ctx);
    // Click ids carried from the landing are stored now (with consent), so the Spotify
    // callback finds them in the cookies too.
    const ads = measure(c, ctx, url, false);

    // Returning fan with a valid signed cookie and a usable token: act at once.
    const spotifyUserId = await readPlayCookie(c, config.cookieSecret);
    if (spotifyUserId) {
      const playUser = await ctx.db.query.playUsers.findFirst({ where: eq(playUsers.spotifyUserId, spotifyUserId) });
      if (playUser && playUser.consentedAt.getTime() + REFRESH_TOKEN_LIFETIME_MS > ctx.clock.now().getTime()) {
        try {
          const fanCtx = deps.ctxFor({ kind: "fan", playUserId: playUser.id });
          const steps = await runFanAction({ ctx: fanCtx, input: { playUser, link, context, visitorHash: hash, clickIds: ads.clickIds, adRequest: adRequestOf(c, ads) } });
          const resultHtml = renderSaveResultPage({ link, artist, publicUrl: config.publicUrl, steps, openInSpotifyUrl: `https://open.spotify.com/album/${link.spotifyAlbumId}` });
          return c.html(withResultPixels(c, resultHtml, link.pixels, ads.consent.adsAllowed, steps));
        } catch (err) {
          if (!needsReauthorization(err)) throw err;
          ctx.logger.info({ playUserId: playUser.id }, "stored Spotify authorization unusable; asking again");
        }
      }
    }

    const { state, browserNonce, codeChallenge } = await createOauthState({
      ctx,
      input: {
        provider: "spotify",
        intent: {
          action: isUnreleased(link, ctx.clock.now()) ? "presave" : "save",
          smartLinkId: link.id,
          context: context as unknown as Record<string, unknown>,
          visitorHash: hash,
        },
      },
    });
    setCookie(c, OAUTH_NONCE_COOKIE, browserNonce, { httpOnly: true, secure, sameSite: "Lax", path: "/oauth/spotify", maxAge: 600 });
    return c.redirect(ctx.music.accounts.authorizeUrl({ state, codeChallenge, scopes: SPOTIFY_FAN_SCOPES }), 303);
  });

  return app;
}

const FAILURE_TEXT: Record<AuthorizationFailure, { status: 200 | 400 | 503; title: string; text: string }> = {
  consent_denied: { status: 200, title: "Nothing was saved", text: "You chose Cancel on Spotify, so we didn't save or follow anything. You can go back to the release page to listen." },
  provider_error: { status: 200, title: "Spotify didn't finish", text: "Spotify didn't complete the sign-in. Please try again." },
  code_rejected: { status: 400, title: "That sign-in didn't work", text: "Spotify didn't accept this sign-in (it may have been used already). Please go back and tap Save on Spotify again." },
  missing_scope: { status: 200, title: "Permission needed", text: "To save this release we need permission to add it to your library and follow the artist. Please tap Save on Spotify again and agree." },
  development_mode_cap: { status: 200, title: "Saving isn't available yet", text: "This artist's Spotify app can't save for new listeners right now. Open the release in Spotify instead." },
  link_gone: { status: 200, title: "This link isn't available", text: "The release page you started from isn't published anymore." },
  spotify_unavailable: { status: 503, title: "Spotify isn't answering", text: "Spotify didn't answer in time, so nothing was saved. Please try again in a minute." },
};

const STEP_EVENT: Record<StepOutcome["key"], PixelEventType | null> = { save: "SAVE_TRACK", follow: "FOLLOW_ARTIST", presave: "PRESAVE", playback: null };

/**
 * The save result page with the link's pixels when ad consent holds: they fire the events
 * the server just recorded, with the same ids (deduplication). Sets the page's CSP.
 */
function withResultPixels(c: Context, html: string, linkPixels: PixelIds, adsAllowed: boolean, steps: StepOutcome[]): string {
  const pixels = adsAllowed ? pixelsInUse(linkPixels) : {};
  if (Object.keys(pixels).length === 0) {
    c.header("Content-Security-Policy", buildPlayCsp({ pixels: null, nonce: null }));
    return html;
  }
  const nonce = randomBytes(16).toString("base64");
  c.header("Content-Security-Policy", buildPlayCsp({ pixels, nonce }));
  const fire = steps.flatMap((step) => {
    const type = STEP_EVENT[step.key];
    return type && step.ok ? (step.eventIds ?? []).map((eventId) => ({ type, eventId })) : [];
  });
  return html.replace("</body>", `${renderPixelScript({ pixels, nonce, fire })}</body>`);
}

/**
 * The save / pre-save half of `/oauth/spotify/callback`, once the state was accepted:
 * the result page and the Play cookie (P06), or a friendly page for a known failure.
 */
export async function answerSaveCallback(
  c: Context,
  deps: { ctxFor: CtxFactory; config: Ctx["config"] },
  input: { intent: SaveIntent; codeVerifier: string },
): Promise<Response> {
  const { config } = deps;
  const ctx = deps.ctxFor({ kind: "fan", playUserId: null });
  // Where the authorization came from, as rotating hashes only (P11): for fan-level flags.
  const network = hashNetwork({ secret: config.visitorHashSecret, now: ctx.clock.now(), ip: clientIp(c, config.trustProxy), userAgent: c.req.header("user-agent") ?? "" });
  // Click ids ride on the AUTH and action events only with ad consent (conversions, P10).
  const consent = readConsentState(c, config.consent);
  const clickIds = consent.adsAllowed ? readClickIds(getCookie(c)) : null;
  // The callback request's IP and user agent, with consent, for the action's conversions (P11, P12).
  const ip = clientIp(c, config.trustProxy);
  const adRequest: AdRequest | null = consent.adsAllowed ? { ip: isIP(ip) ? ip : null, userAgent: c.req.header("user-agent") || null, consentSubject: consent.subject } : null;
  const outcome = await completeSpotifyAuthorization({
    ctx,
    input: { intent: input.intent, codeVerifier: input.codeVerifier, code: c.req.query("code"), error: c.req.query("error"), network, clickIds, adRequest },
  });
  if (outcome.ok) {
    // P06: first-party, HttpOnly, Lax, Secure on https, ≤ 1 year, only the signed Spotify user id.
    await writePlayCookie(c, config.cookieSecret, outcome.playUser.spotifyUserId, config.publicUrl.startsWith("https://"));
    // This browser's consent choice now also speaks for the fan (delivery looks it up by fan).
    if (consent.subject) await linkConsentToFan({ ctx, input: { subject: consent.subject, playUserId: outcome.playUser.id } });
    const html = renderSaveResultPage({
      link: outcome.link,
      artist: outcome.artist,
      publicUrl: config.publicUrl,
      steps: outcome.steps,
      openInSpotifyUrl: `https://open.spotify.com/album/${outcome.link.spotifyAlbumId}`,
    });
    return c.html(withResultPixels(c, html, outcome.link.pixels, consent.adsAllowed, outcome.steps));
  }
  const failure = FAILURE_TEXT[outcome.reason];
  const { link, artist } = outcome;
  // The page keeps the look of the release page the fan came from; "Go back" only to a page that still exists.
  const back = link && artist && link.published ? `/${artist.slug}/${link.slug}` : undefined;
  return c.html(
    renderMessagePage({
      publicUrl: config.publicUrl,
      status: failure.status,
      title: failure.title,
      message: failure.text,
      ...(back ? { backUrl: back } : {}),
      ...(link ? { theme: link.theme } : {}),
    }),
    failure.status,
  );
}
