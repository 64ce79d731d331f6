import { CLICK_ID_COOKIES, FBP_COOKIE } from "./click-id-cookies";
import { FBC_PATTERN, FBP_PATTERN, validateClickId } from "./validate-click-id";

/**
 * Validated click-id values for one event (kept in `engagement_events.detail.clickIds`
 * of SERVICE_CLICK / PRESAVE / AUTH / SAVE_TRACK / FOLLOW_ARTIST, only when ad consent
 * held). `fbc` / `fbp` are Meta's cookie formats, sent unhashed as Meta requires; the
 * others are the raw click ids.
 */
export interface ClickIds {
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  fbc?: string;
  fbp?: string;
  rdtCid?: string;
}

/**
 * Reads the click ids from the request's first-party cookies (name → value). Each value
 * is validated again (a cookie is client input); an invalid one is left out. Returns null
 * when none is present. Pure.
 */
export function readClickIds(cookies: Readonly<Record<string, string | undefined>>): ClickIds | null {
  const out: ClickIds = {};
  const plain = (source: "gclid" | "gbraid" | "wbraid" | "rdt_cid") => {
    const raw = cookies[CLICK_ID_COOKIES[source].name];
    if (raw === undefined) return undefined;
    const checked = validateClickId(source, raw);
    return checked.ok ? checked.value : undefined;
  };
  const gclid = plain("gclid");
  const gbraid = plain("gbraid");
  const wbraid = plain("wbraid");
  const rdtCid = plain("rdt_cid");
  if (gclid) out.gclid = gclid;
  if (gbraid) out.gbraid = gbraid;
  if (wbraid) out.wbraid = wbraid;
  if (rdtCid) out.rdtCid = rdtCid;
  const fbc = cookies[CLICK_ID_COOKIES.fbclid.name];
  if (fbc && FBC_PATTERN.test(fbc)) out.fbc = fbc;
  const fbp = cookies[FBP_COOKIE.name];
  if (fbp && FBP_PATTERN.test(fbp)) out.fbp = fbp;
  return Object.keys(out).length > 0 ? out : null;
}
