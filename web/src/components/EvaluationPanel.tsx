/**
 * The evaluation of one answer: its score, the four rubric dimensions, the feedback, strengths,
 * improvements and what a strong answer covers, labelled "AI" or "automatic estimate".
 * Everything here came from a model or a person: it is rendered as text, never as HTML.
 */
import { useId } from "react";
import type { EvaluationView } from "../api/sessions";
import { ScoreBars } from "./ScoreBars";
import { SourceBadge } from "./SourceBadge";

interface Props {
  evaluation: EvaluationView;
  /** Why the automatic estimate was used, from the session's evaluation notice. */
  fallbackReason?: string | undefined;
  /** The heading: "Feedback", or what the feedback is on when a page shows two. */
  title?: string;
}

export function EvaluationPanel({ evaluation, fallbackReason, title = "Feedback" }: Props) {
  const { rubric } = evaluation;
  const headingId = useId();
  return (
    <section className="evaluation" aria-labelledby={headingId}>
      <div className="evaluation-head">
        <h3 id={headingId}>{title}</h3>
        <SourceBadge source={evaluation.source} reason={fallbackReason} />
      </div>
      <p className="evaluation-score">
        <span className="score-number">{evaluation.score}</span>
        <span className="score-of"> out of 10</span>
      </p>
      <ScoreBars
        label="Rubric"
        max={10}
        bars={[
          { label: "Relevance", value: rubric.relevance },
          { label: "Depth", value: rubric.depth },
          { label: "Structure", value: rubric.structure },
          { label: "Specificity", value: rubric.specificity },
        ]}
      />
      {(evaluation.flags ?? []).map((flag) => (
        <p key={flag.code} className="evaluation-flag">
          {flag.message}
        </p>
      ))}
      <p className="evaluation-feedback">{evaluation.feedback}</p>
      <div className="two-lists">
        <TextList title="Strengths" items={evaluation.strengths ?? []} />
        <TextList title="To improve" items={evaluation.improvements ?? []} />
      </div>
      {evaluation.reference_answer ? (
        <details className="reference-answer">
          <summary>What a strong answer would cover</summary>
          <p>{evaluation.reference_answer}</p>
        </details>
      ) : null}
    </section>
  );
}

export function TextList({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="text-list">
      <h4>{title}</h4>
      <ul>
        {items.map((item, index) => (
          // Items are free text and may repeat; their place is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: a static list, never reordered
          <li key={index}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
