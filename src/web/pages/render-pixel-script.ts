/**
 * Browser pixels of a smart link (Meta, Google Ads, TikTok, Reddit), rendered only after
 * ad consent (or in `opt-out` / `off` mode without a decline). One inline bootstrap with
 * the page's CSP nonce queues the calls; the vendors' own scripts load `async` from their
 * hosts (which the page CSP then allows, and only then).
 *
 * Fired: PageView on load; `fire` events on load (the save result page: the events the
 * server just recorded, with their ids); and on a tap of a service link carrying
 * `data-eid`, the SERVICE_CLICK event with that id — the same id the server stores for the
 * click, so each platform deduplicates browser and server events.
 */
import { PIXEL_EVENT_NAMES, PIXEL_VENDORS, type PixelEventType, type PixelIdsInUse } from "../../modules/conversions/pixel-vendors";
import { escapeHtml } from "./escape";

export interface RenderPixelScriptInput {
  pixels: PixelIdsInUse;
  /** The response's CSP nonce (base64). */
  nonce: string;
  /** Events to fire at load, each with the engagement event id the server recorded. */
  fire?: ReadonlyArray<{ type: PixelEventType; eventId: string }>;
}

/** Inline JSON safe inside `<script>`: `<`, `>`, `&` and line separators escaped. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// The bootstrap: queue stubs the vendors' scripts drain when they load, then one `send`
// per event to every configured vendor. Kept short; no third-party code is inlined.
const BOOTSTRAP =
  "(function(P){var w=window,d=document;" +
  "if(P.ids.meta){var f=w.fbq=function(){f.callMethod?f.callMethod.apply(f,arguments):f.queue.push(arguments)};if(!w._fbq)w._fbq=f;f.push=f;f.loaded=!0;f.version='2.0';f.queue=[];fbq('init',P.ids.meta);}" +
  "if(P.ids.google){w.dataLayer=w.dataLayer||[];w.gtag=function(){w.dataLayer.push(arguments)};gtag('js',new Date());gtag('config',P.ids.google);}" +
  "if(P.ids.tiktok){w.TiktokAnalyticsObject='ttq';var t=w.ttq=w.ttq||[];t.methods=['page','track','identify','instances','debug','on','off','once','ready','alias','group','enableCookie','disableCookie'];t.setAndDefer=function(o,m){o[m]=function(){o.push([m].concat(Array.prototype.slice.call(arguments,0)))}};for(var i=0;i<t.methods.length;i++)t.setAndDefer(t,t.methods[i]);t._i=t._i||{};t._i[P.ids.tiktok]=[];t._i[P.ids.tiktok]._u='https://analytics.tiktok.com/i18n/pixel/events.js';t._t=t._t||{};t._t[P.ids.tiktok]=+new Date;t._o=t._o||{};t._o[P.ids.tiktok]={};}" +
  "if(P.ids.reddit){var r=w.rdt=function(){r.sendEvent?r.sendEvent.apply(r,arguments):r.callQueue.push(arguments)};r.callQueue=[];rdt('init',P.ids.reddit);}" +
  "function send(type,id){var n=P.names;" +
  "if(P.ids.meta)fbq('track',n.meta[type],{},id?{eventID:id}:{});" +
  "if(P.ids.google)gtag('event',n.google[type],id?{send_to:P.ids.google,transaction_id:id}:{send_to:P.ids.google});" +
  "if(P.ids.tiktok){if(type==='VIEW')ttq.page();else ttq.track(n.tiktok[type],{},{event_id:id});}" +
  "if(P.ids.reddit)rdt('track',n.reddit[type],id?{conversionId:id}:{});}" +
  "send('VIEW',null);for(var k=0;k<P.fire.length;k++)send(P.fire[k].type,P.fire[k].eventId);" +
  "d.addEventListener('click',function(e){var a=e.target&&e.target.closest?e.target.closest('a[data-eid]'):null;if(a)send('SERVICE_CLICK',a.getAttribute('data-eid'));},true);" +
  "})";

/** Renders the pixel tags (already-escaped HTML) for the end of `<body>`; empty without pixels. */
export function renderPixelScript(input: RenderPixelScriptInput): string {
  const vendors = Object.keys(input.pixels) as Array<keyof PixelIdsInUse>;
  if (vendors.length === 0) return "";
  const names = Object.fromEntries(vendors.map((v) => [v, PIXEL_EVENT_NAMES[v]]));
  const config = { ids: input.pixels, names, fire: input.fire ?? [] };
  const nonce = escapeHtml(input.nonce);
  let html = `<script nonce="${nonce}">${BOOTSTRAP}(${inlineJson(config)})</script>`;
  for (const vendor of vendors) {
    const src = PIXEL_VENDORS[vendor].script.replace("{id}", encodeURIComponent(input.pixels[vendor]!));
    html += `<script async nonce="${nonce}" src="${escapeHtml(src)}"></script>`;
  }
  return html;
}
