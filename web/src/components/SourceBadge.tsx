/**
 * Who produced a piece of the interview: the AI, or CareerFlow's automatic estimate when the AI
 * was not available (with the reason, when known).
 */
import type { Source } from "../api/sessions";

interface Props {
  source: Source;
  /** Why the fallback was used, in the gateway's words. */
  reason?: string | undefined;
}

export function SourceBadge({ source, reason }: Props) {
  if (source === "ai") {
    return (
      <span className="source">
        <span className="badge badge-ai">AI</span>
      </span>
    );
  }
  return (
    <span className="source">
      <span className="badge badge-fallback">Automatic estimate</span>
      {reason ? <span className="source-reason">{reason}</span> : null}
    </span>
  );
}
