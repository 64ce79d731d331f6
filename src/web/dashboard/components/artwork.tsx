import { useState } from "react";

/**
 * A release's artwork, or a plain tile when there is none or it fails to load (Spotify's
 * image CDN unreachable, an offline laptop): a broken-image icon says nothing useful.
 */
export function Artwork({ url, size, lazy = false }: { url: string | null; size: 64 | 96; lazy?: boolean }) {
  const [failed, setFailed] = useState(false);
  const className = size === 96 ? "artwork artwork-large" : "artwork";
  if (!url || failed) return <span className={className} aria-hidden="true" />;
  return (
    <img
      className={className}
      src={url}
      alt=""
      width={size}
      height={size}
      loading={lazy ? "lazy" : undefined}
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
    />
  );
}
