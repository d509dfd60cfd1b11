/**
 * A follow-up question under the question it follows up: the interviewer's probe of what the
 * answer left out, with its own answer box, a skip (recorded, not scored) and, once answered,
 * its feedback. While the interviewer writes it, a line says so. The question came from a model
 * or from the candidate's own words: it is rendered as text, never as HTML.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ApiError, describeError } from "../api/errors";
import {
  ANSWER_MAX,
  answerQuestion,
  newerView,
  type QuestionView,
  type SessionView,
  skipFollowup,
} from "../api/sessions";
import { sessionKey } from "../hooks/useLiveSession";
import { fallbackNotice, followupBeingWritten, followupOf, wordCount } from "../interview";
import { EvaluationPanel } from "./EvaluationPanel";
import { Notice } from "./Notice";

interface Props {
  view: SessionView;
  parent: QuestionView;
}

export function FollowupQuestion({ view, parent }: Props) {
  const followup = followupOf(view, parent);
  if (!followup) {
    return followupBeingWritten(view, parent.position) ? (
      <p className="followup-writing" role="status">
        <span className="spinner" aria-hidden="true" /> The interviewer is writing a follow-up
        question on your answer…
      </p>
    ) : null;
  }
  return <Followup key={followup.id} view={view} parent={parent} followup={followup} />;
}

function Followup({
  view,
  parent,
  followup,
}: Props & {
  followup: QuestionView;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const ids = { heading: useId(), answer: useId(), count: useId() };
  const update = (updated: SessionView) =>
    queryClient.setQueryData<SessionView>(sessionKey(view.id), (old) => newerView(old, updated));
  const onConflict = (error: Error) => {
    // Answered or skipped elsewhere (another tab): show what the server has.
    if (error instanceof ApiError && error.status === 409) {
      void queryClient.invalidateQueries({ queryKey: sessionKey(view.id) });
    }
  };
  const submit = useMutation({
    mutationFn: (answer: string) => answerQuestion(view.id, followup.id, answer),
    onSuccess: update,
    onError: onConflict,
  });
  const skip = useMutation({
    mutationFn: () => skipFollowup(view.id, followup.id),
    onSuccess: update,
    onError: onConflict,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim()) submit.mutate(text);
  }

  const words = wordCount(text);
  const evaluation = followup.answer?.evaluation;
  const busy = submit.isPending || skip.isPending;
  const error = submit.error ?? skip.error;
  const made =
    followup.source === "fallback"
      ? (fallbackNotice(view, "followup")?.message ??
        "Put together from the points your answer left out.")
      : null;

  return (
    <section className="followup" aria-labelledby={ids.heading}>
      <h3 id={ids.heading} className="followup-heading">
        Follow-up to question {parent.position}
      </h3>
      <p className="question-text followup-text">{followup.text}</p>
      {made ? <p className="followup-source muted">{made}</p> : null}

      {followup.skipped ? (
        <p className="followup-skipped">You skipped this follow-up. It is not scored.</p>
      ) : followup.answer ? (
        <div className="answered">
          <h4 className="answered-heading">Your answer to the follow-up</h4>
          <p className="answer-text">{followup.answer.text}</p>
          {evaluation ? (
            <EvaluationPanel
              evaluation={evaluation}
              title="Feedback on the follow-up"
              fallbackReason={fallbackNotice(view, "evaluation")?.message}
            />
          ) : (
            <p className="scoring" role="status">
              <span className="spinner" aria-hidden="true" /> Scoring your answer to the follow-up…
            </p>
          )}
        </div>
      ) : (
        <form className="answer-form" onSubmit={onSubmit}>
          <div className="field">
            <label htmlFor={ids.answer} className="field-label">
              Your answer to the follow-up
            </label>
            <textarea
              id={ids.answer}
              className="input textarea answer-box"
              rows={6}
              maxLength={ANSWER_MAX}
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-describedby={ids.count}
            />
            <p id={ids.count} className="field-hint word-count">
              {words} {words === 1 ? "word" : "words"}
            </p>
          </div>
          {error ? (
            <Notice level="error">
              <p>{describeError(error)}</p>
            </Notice>
          ) : null}
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={!text.trim() || busy}>
              {submit.isPending ? "Submitting…" : "Submit follow-up answer"}
            </button>
            <button
              type="button"
              className="button button-quiet"
              disabled={busy}
              onClick={() => skip.mutate()}
            >
              {skip.isPending ? "Skipping…" : "Skip follow-up"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
