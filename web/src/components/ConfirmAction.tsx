/**
 * A destructive action behind a second, explicit step: the first button asks, then a question
 * with "confirm" and "keep" buttons takes its place and focus. Nothing happens until confirmed.
 */
import { useEffect, useId, useRef, useState } from "react";

interface Props {
  /** The first button's text, e.g. "Delete". */
  action: string;
  /** Its accessible name when the text alone is ambiguous ("Delete the interview of 3 May"). */
  actionLabel?: string;
  /** The question asked before acting. */
  question: string;
  confirmText: string;
  cancelText?: string;
  busy?: boolean;
  onConfirm: () => void;
}

export function ConfirmAction({
  action,
  actionLabel,
  question,
  confirmText,
  cancelText = "Cancel",
  busy = false,
  onConfirm,
}: Props) {
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) askRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={askRef}
        type="button"
        className="button button-quiet button-danger-text"
        aria-label={actionLabel}
        onClick={() => setAsking(true)}
      >
        {action}
      </button>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: an inline question, not a fieldset of inputs
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <p id={questionId} className="confirm-question">
        {question}
      </p>
      <div className="button-row">
        <button
          ref={confirmRef}
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={onConfirm}
        >
          {confirmText}
        </button>
        <button type="button" className="button button-quiet" onClick={() => setAsking(false)}>
          {cancelText}
        </button>
      </div>
    </div>
  );
}
