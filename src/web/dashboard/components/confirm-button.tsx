import { useEffect, useRef, useState } from "react";

interface Props {
  /** Visible label of the first button, e.g. "Remove". */
  label: string;
  /** Accessible name of the first button when the label alone is ambiguous in a list. */
  ariaLabel?: string;
  /** The question asked before acting, e.g. "Remove Ana from the team?". */
  question: string;
  confirmLabel?: string;
  pending?: boolean;
  disabled?: boolean;
  onConfirm: () => void;
}

/**
 * A destructive action in two steps without a modal: the button turns into the question
 * with "Yes" / "Cancel" (focus moves to "Cancel", the safe choice; Escape cancels).
 */
export function ConfirmButton({ label, ariaLabel, question, confirmLabel = "Yes", pending, disabled, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button ref={triggerRef} type="button" className="button button-small button-danger" aria-label={ariaLabel} disabled={disabled || pending} onClick={() => setAsking(true)}>
        {pending ? "Working…" : label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question} onKeyDown={(e) => e.key === "Escape" && setAsking(false)}>
      <span>{question}</span>{" "}
      <button
        type="button"
        className="button button-small button-danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{" "}
      <button ref={cancelRef} type="button" className="button button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
