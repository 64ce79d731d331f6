import { encode } from "uqr";

/**
 * Encodes `text` as a QR code (error correction M, the spec's 4-module quiet zone) and
 * returns its side in modules and one SVG path `d` of its dark unit squares.
 */
export function encodeQrPath(text: string): { size: number; d: string; data: boolean[][] } {
  const { data, size } = encode(text, { ecc: "M", border: 4 });
  let d = "";
  data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
  return { size, d, data };
}
