import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard and confirms it in place ("Copied") for a few seconds,
 * announced politely to screen readers. Falls back to a message when the browser refuses.
 */
export function CopyButton({ text, label = "Copy link", className = "button" }: { text: string; label?: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="copy">
      <button type="button" className={className} onClick={copy}>
        {state === "copied" ? "Copied ✓" : label}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Could not copy; select the text and copy it" : ""}
      </span>
    </span>
  );
}
