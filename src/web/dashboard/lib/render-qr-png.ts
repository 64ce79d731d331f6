import { encodeQrPath } from "./encode-qr-path";

/**
 * Draws the QR code of `text` (error correction M, 4-module quiet zone) on a canvas and
 * returns it as a PNG blob, `scale` pixels per module (default 16 → ≈ 0.6k px, print-ready).
 * Errors: rejects when the browser cannot make a 2D canvas or encode PNG.
 */
export async function renderQrPng(text: string, scale = 16): Promise<Blob> {
  const { data, size } = encodeQrPath(text);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size * scale;
  const g = canvas.getContext("2d");
  if (!g) throw new Error("This browser cannot draw the PNG; download the SVG instead.");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#000";
  data.forEach((row, y) => row.forEach((dark, x) => dark && g.fillRect(x * scale, y * scale, scale, scale)));
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG encoding failed; download the SVG instead."))), "image/png"),
  );
}
