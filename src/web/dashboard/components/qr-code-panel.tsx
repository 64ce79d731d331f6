import { useMemo, useState } from "react";
import { downloadBlob } from "../lib/download-blob";
import { encodeQrPath } from "../lib/encode-qr-path";
import { renderQrPng } from "../lib/render-qr-png";
import { renderQrSvg } from "../lib/render-qr-svg";

/**
 * The QR code of a public URL, drawn inline (no image request, fits the CSP), with
 * "Download SVG" (vector, for print) and "Download PNG" buttons. Files are named after `name`.
 */
export function QrCodePanel({ url, name }: { url: string; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const { size, d } = useMemo(() => encodeQrPath(url), [url]);
  const base = `qr-${name.replace(/[^a-z0-9-]+/gi, "-").toLowerCase() || "link"}`;
  const downloadPng = async () => {
    setError(null);
    try {
      downloadBlob(await renderQrPng(url), `${base}.png`);
    } catch (err) {
      setError(err instanceof Error ? err.message : "PNG download failed.");
    }
  };
  return (
    <div className="qr">
      <svg className="qr-image" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`QR code for ${url}`} shapeRendering="crispEdges">
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
      <div className="actions">
        <button type="button" className="button" onClick={() => downloadBlob(new Blob([renderQrSvg(url)], { type: "image/svg+xml" }), `${base}.svg`)}>
          Download SVG
        </button>
        <button type="button" className="button" onClick={downloadPng}>
          Download PNG
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
