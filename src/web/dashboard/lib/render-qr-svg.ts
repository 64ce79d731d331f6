import { encodeQrPath } from "./encode-qr-path";

/** The QR code of `text` as a standalone SVG document (black on white, viewBox in modules). */
export function renderQrSvg(text: string): string {
  const { size, d } = encodeQrPath(text);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}
