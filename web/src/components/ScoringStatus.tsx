/**
 * What the candidate waits for after answering: the answers being scored now, in the gateway's
 * words, and the AI's pace on the last answer it scored, as the model measured it. Nothing
 * while no answer is being scored.
 */
import type { SessionView } from "../api/sessions";
import { scoringPaceWords, scoringWords } from "../interview";

interface Props {
  view: SessionView;
  /** Announce changes to a screen reader (off where the page has its own live status). */
  announce?: boolean;
}

export function ScoringStatus({ view, announce = true }: Props) {
  const scoring = scoringWords(view);
  if (!scoring) return null;
  const pace = scoringPaceWords(view);
  return (
    <p className="scoring-status muted" role={announce ? "status" : undefined}>
      {scoring}…{pace ? ` ${pace}` : null}
    </p>
  );
}
