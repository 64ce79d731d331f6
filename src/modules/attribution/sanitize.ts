/**
 * Bounding and cleaning of visitor-controlled strings before they reach an event row.
 */

// C0 and C1 controls, DEL, and Unicode bidi overrides / isolates (text-direction spoofing).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Drops control characters, trims, and cuts to at most `max` code points (never in the
 * middle of a surrogate pair). Returns `null` when nothing is left.
 */
export function cleanText(value: string | null | undefined, max: number): string | null {
  if (value == null) return null;
  let s = value.replace(CONTROL, "").trim();
  if (s.length > max) {
    // Each code point is at most two UTF-16 units, so 2·max units hold ≥ max code points.
    s = Array.from(s.slice(0, max * 2)).slice(0, max).join("").trim();
  }
  return s === "" ? null : s;
}
