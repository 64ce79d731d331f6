/**
 * Whether a landing request counts as a fan's visit (a VIEW event) or is machine traffic.
 */
import { isbot } from "isbot";

export type VisitReason = "bot" | "link_preview" | "head" | "prefetch";

export interface VisitVerdict {
  counted: boolean;
  reason: VisitReason | null;
}

export interface ClassifyVisitInput {
  method: string;
  headers: Headers;
}

/**
 * Link-preview fetchers: the request is made by a chat app or social network to build a
 * card when someone pastes the link, not by the fan. Checked before the general bot test so
 * the reason is specific. iMessage previews send a Safari UA with `facebookexternalhit` and
 * `Twitterbot` appended; Signal previews send a `WhatsApp` UA; Microsoft Teams and Skype
 * send `SkypeUriPreview`; Mastodon instances fetch with `Mastodon/x.y (http.rb …)`.
 */
const LINK_PREVIEW =
  /facebookexternalhit|\bFacebot\b|Twitterbot|Slackbot-LinkExpanding|Slack-ImgProxy|Discordbot|WhatsApp|TelegramBot|LinkedInBot|Applebot|SkypeUriPreview|Pinterestbot|redditbot|Embedly|vkShare|Snap URL Preview|Iframely|Bluesky Cardyb|\bMastodon\/|\bMisskey\//i;

const NOT_COUNTED = (reason: VisitReason): VisitVerdict => ({ counted: false, reason });
const COUNTED: VisitVerdict = Object.freeze({ counted: true, reason: null }) as VisitVerdict;

/**
 * True when the request is a speculative load the fan may never see:
 * `Sec-Purpose: prefetch` / `prefetch;prerender` / `prefetch;anonymous-client-ip`
 * (Chrome Speculation Rules), legacy `Purpose: prefetch` (Chrome), `X-Moz: prefetch`
 * (Firefox), `X-Purpose: preview` (Safari Top Sites). Prerendered pages that are later
 * shown are still not counted: the stricter reading.
 */
function isSpeculative(headers: Headers): boolean {
  const secPurpose = headers.get("sec-purpose");
  if (secPurpose && /\b(?:prefetch|prerender)\b/i.test(secPurpose)) return true;
  const purpose = headers.get("purpose");
  if (purpose && /\b(?:prefetch|prerender|preview)\b/i.test(purpose)) return true;
  const xMoz = headers.get("x-moz");
  if (xMoz && /\bprefetch\b/i.test(xMoz)) return true;
  const xPurpose = headers.get("x-purpose");
  if (xPurpose && /\b(?:preview|prefetch)\b/i.test(xPurpose)) return true;
  return false;
}

/**
 * Classifies a landing request. In order: `HEAD` → `head`; speculative load → `prefetch`;
 * link-preview fetcher → `link_preview`; any other crawler or bot (`isbot`, or no
 * User-Agent at all) → `bot`; otherwise counted. Pages are still served to all of them;
 * only the VIEW event is skipped.
 */
export function classifyVisit(input: ClassifyVisitInput): VisitVerdict {
  if (input.method.toUpperCase() === "HEAD") return NOT_COUNTED("head");
  const { headers } = input;
  if (isSpeculative(headers)) return NOT_COUNTED("prefetch");
  const raw = headers.get("user-agent");
  const ua = raw && raw.length > 1024 ? raw.slice(0, 1024) : raw;
  if (!ua || ua.trim() === "") return NOT_COUNTED("bot");
  if (LINK_PREVIEW.test(ua)) return NOT_COUNTED("link_preview");
  if (isbot(ua)) return NOT_COUNTED("bot");
  return COUNTED;
}
