import { PIXEL_VENDORS, type PixelIdsInUse, type PixelVendor } from "./pixel-vendors";

/**
 * The Content-Security-Policy of a Play page. Without pixels: no script at all (the
 * JSON-LD block is data, not script), styles inline (theme CSS), images from us and https
 * artwork, no frames, no connections — a page that can make no third-party request except
 * its artwork. With pixels (only after consent): scripts from the nonce and exactly the
 * hosts of the vendors configured on the link, their beacon hosts, their frames.
 */
const BASE = ["default-src 'none'", "style-src 'unsafe-inline'", "base-uri 'none'", "frame-ancestors 'none'"];
/** Built once: the policy of every page without pixels (the hot path). */
const WITHOUT_PIXELS = [...BASE, "img-src 'self' https: data:", "script-src 'none'", "connect-src 'none'"].join("; ");

export function buildPlayCsp(input: { pixels: PixelIdsInUse | null; nonce: string | null }): string {
  const vendors = input.pixels ? (Object.keys(input.pixels) as PixelVendor[]) : [];
  if (vendors.length === 0 || !input.nonce) return WITHOUT_PIXELS;
  const hosts = (pick: (v: (typeof PIXEL_VENDORS)[PixelVendor]) => string[]) => [...new Set(vendors.flatMap((v) => pick(PIXEL_VENDORS[v])))];
  const beacons = hosts((v) => v.beaconHosts);
  const frames = hosts((v) => v.frameHosts);
  return [
    ...BASE,
    `img-src 'self' https: data:`,
    `script-src 'nonce-${input.nonce}' ${hosts((v) => v.scriptHosts).join(" ")}`,
    `connect-src ${beacons.join(" ")}`,
    ...(frames.length > 0 ? [`frame-src ${frames.join(" ")}`] : []),
  ].join("; ");
}
