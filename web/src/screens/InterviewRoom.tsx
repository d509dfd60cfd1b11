/**
 * The interview itself: one question at a time with its kind and skill, an answer box with a
 * word count, an optional timer, submit, next. Each evaluation appears when it arrives from the
 * event stream. Questions still being written appear as they come; the candidate never waits
 * for all of them. A follow-up the interviewer asks on an answer appears under that question,
 * with its own answer box and a skip; it is the next thing to answer.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { ApiError, describeError } from "../api/errors";
import {
  ANSWER_MAX,
  answerQuestion,
  newerView,
  type QuestionView,
  type SessionView,
} from "../api/sessions";
import { EvaluationPanel } from "../components/EvaluationPanel";
import { FollowupQuestion } from "../components/FollowupQuestion";
import { Notice } from "../components/Notice";
import { PageTitle } from "../components/PageTitle";
import { QuestionTimer } from "../components/QuestionTimer";
import { ScoringStatus } from "../components/ScoringStatus";
import { SessionLoadError } from "../components/SessionLoadError";
import { SessionNotices } from "../components/SessionNotices";
import { sessionKey, useLiveSession } from "../hooks/useLiveSession";
import {
  allAnswered,
  expectedTotal,
  fallbackNotice,
  firstUnanswered,
  followupOf,
  isOpenFollowup,
  isWritingQuestions,
  orderedQuestions,
  waitingFollowupParent,
  wordCount,
} from "../interview";

/** The optional timer's length per question. */
export const QUESTION_SECONDS = 3 * 60;

const KIND_WORDS: Record<QuestionView["kind"], string> = {
  technical: "Technical",
  behavioral: "Behavioral",
};

export function InterviewRoom() {
  const { id = "" } = useParams();
  const session = useLiveSession(id);
  const [params, setParams] = useSearchParams();
  const [moved, setMoved] = useState(false);

  const asked = Number.parseInt(params.get("question") ?? "", 10);
  // Without a question in the address, the first one not answered, pinned once chosen: a
  // question arriving or an answer being scored must not move the candidate elsewhere.
  const [pinned, setPinned] = useState<number | null>(null);
  const firstOpen = session.data ? firstUnanswered(session.data)?.position : undefined;
  useEffect(() => {
    if (pinned === null && firstOpen !== undefined) setPinned(firstOpen);
  }, [pinned, firstOpen]);

  function go(position: number) {
    setMoved(true);
    setParams({ question: String(position) });
  }

  if (session.isPending) {
    return (
      <p className="loading" role="status">
        Loading your interview…
      </p>
    );
  }
  if (session.isError) return <SessionLoadError error={session.error} />;

  const view = session.data;
  const questions = orderedQuestions(view);
  const position = Number.isNaN(asked) ? (pinned ?? firstOpen) : asked;
  const current = questions.find((q) => q.position === position) ?? firstUnanswered(view);

  return (
    <div className="page room">
      <PageTitle title={`Interview: ${view.target_role}`}>
        <span className="page-title-kicker">Interview</span> {view.target_role}
      </PageTitle>
      {current ? (
        <>
          <QuestionNav view={view} current={current} onGo={go} />
          <Question
            key={current.id}
            view={view}
            question={current}
            focusOnMount={moved}
            onGo={go}
          />
        </>
      ) : view.status === "failed" ? (
        <Notice level="error" title="No questions">
          <p>This interview could not be prepared. Please start a new one.</p>
          <Link to="/interviews/new">Start a new interview</Link>
        </Notice>
      ) : (
        <p className="loading" role="status">
          The first question is being written…
        </p>
      )}
      <ScoringStatus view={view} />
      <SessionNotices notices={view.notices ?? []} stages={["questions", "evaluation"]} />
    </div>
  );
}

function QuestionNav({
  view,
  current,
  onGo,
}: {
  view: SessionView;
  current: QuestionView;
  onGo: (position: number) => void;
}) {
  const questions = orderedQuestions(view);
  const total = expectedTotal(view);
  const pending = Math.max(0, total - questions.length);
  return (
    <nav className="question-nav" aria-label="Questions">
      <ol>
        {questions.map((q) => {
          const followup = followupOf(view, q);
          const state = !q.answer
            ? "open"
            : followup && isOpenFollowup(followup)
              ? "followup"
              : q.answer.evaluation
                ? "scored"
                : "answered";
          const words =
            state === "open"
              ? "not answered"
              : state === "followup"
                ? `answered, scored ${q.answer?.evaluation?.score} out of 10, a follow-up waits for your answer`
                : state === "answered"
                  ? "answered, being scored"
                  : `answered, scored ${q.answer?.evaluation?.score} out of 10`;
          return (
            <li key={q.id}>
              <button
                type="button"
                className={`question-dot question-dot-${state}`}
                aria-current={q.id === current.id ? "step" : undefined}
                aria-label={`Question ${q.position}, ${words}`}
                onClick={() => onGo(q.position)}
              >
                {q.position}
              </button>
            </li>
          );
        })}
        {Array.from({ length: pending }, (_, i) => questions.length + i + 1).map((position) => (
          <li key={`pending-${position}`}>
            <span className="question-dot question-dot-pending" title="Being written">
              <span className="visually-hidden">Question {position}, being written</span>
              <span aria-hidden="true">{position}</span>
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Question({
  view,
  question,
  focusOnMount,
  onGo,
}: {
  view: SessionView;
  question: QuestionView;
  focusOnMount: boolean;
  onGo: (position: number) => void;
}) {
  const queryClient = useQueryClient();
  const questions = orderedQuestions(view);
  const index = questions.findIndex((q) => q.id === question.id);
  const previous = questions[index - 1];
  const next = questions[index + 1];
  const total = expectedTotal(view);
  const [text, setText] = useState("");
  const [timed, setTimed] = useState(() => sessionStorage.getItem("careerflow.timer") === "on");
  const resultRef = useRef<HTMLHeadingElement>(null);
  const ids = { answer: useId(), count: useId(), heading: useId() };

  const submit = useMutation({
    mutationFn: (answer: string) => answerQuestion(view.id, question.id, answer),
    onSuccess: (updated) => {
      queryClient.setQueryData<SessionView>(sessionKey(view.id), (old) => newerView(old, updated));
      setJustAnswered(true);
    },
    onError: (error) => {
      // Answered elsewhere (another tab): show what the server has.
      if (error instanceof ApiError && error.status === 409) {
        void queryClient.invalidateQueries({ queryKey: sessionKey(view.id) });
      }
    },
  });

  const [justAnswered, setJustAnswered] = useState(false);
  useEffect(() => {
    // Once, when the answer just given is on screen: a screen reader hears what happened.
    if (justAnswered && question.answer) {
      resultRef.current?.focus();
      setJustAnswered(false);
    }
  }, [justAnswered, question.answer]);

  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Moved here by Next, Previous or the question list: the button pressed is gone, so focus
    // goes to this question's heading rather than back to the top of the page.
    if (focusOnMount) headingRef.current?.focus();
  }, [focusOnMount]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim()) submit.mutate(text);
  }

  function toggleTimer(on: boolean) {
    setTimed(on);
    sessionStorage.setItem("careerflow.timer", on ? "on" : "off");
  }

  const words = wordCount(text);
  const evaluation = question.answer?.evaluation;
  const waiting = waitingFollowupParent(view);
  const reason = fallbackNotice(view, "evaluation")?.message;

  return (
    <article className="card question-card" aria-labelledby={ids.heading}>
      <header className="question-head">
        <h2 id={ids.heading} ref={headingRef} tabIndex={-1} className="question-number">
          Question {question.position} of {total}
        </h2>
        <ul className="tags" aria-label="About this question">
          <li className={`tag tag-${question.kind}`}>{KIND_WORDS[question.kind]}</li>
          {question.skill ? <li className="tag">{question.skill}</li> : null}
          <li className="tag tag-quiet">{question.difficulty}</li>
        </ul>
      </header>
      <p className="question-text">{question.text}</p>

      {!question.answer ? (
        <form className="answer-form" onSubmit={onSubmit}>
          <div className="field">
            <div className="answer-label-row">
              <label htmlFor={ids.answer} className="field-label">
                Your answer
              </label>
              <label className="checkbox checkbox-small">
                <input
                  type="checkbox"
                  checked={timed}
                  onChange={(event) => toggleTimer(event.target.checked)}
                />
                Timer ({QUESTION_SECONDS / 60} min)
              </label>
            </div>
            {timed ? <QuestionTimer seconds={QUESTION_SECONDS} /> : null}
            <textarea
              id={ids.answer}
              className="input textarea answer-box"
              rows={10}
              maxLength={ANSWER_MAX}
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-describedby={ids.count}
              placeholder="Answer as you would out loud: the situation, what you did, and what came of it."
            />
            <p id={ids.count} className="field-hint word-count">
              {words} {words === 1 ? "word" : "words"}
            </p>
          </div>
          {submit.isError ? (
            <Notice level="error">
              <p>{describeError(submit.error)}</p>
            </Notice>
          ) : null}
          <div className="button-row">
            <button
              type="submit"
              className="button button-primary"
              disabled={!text.trim() || submit.isPending}
            >
              {submit.isPending ? "Submitting…" : "Submit answer"}
            </button>
            {next ? (
              <button
                type="button"
                className="button button-quiet"
                onClick={() => onGo(next.position)}
              >
                Skip for now
              </button>
            ) : null}
          </div>
        </form>
      ) : (
        <div className="answered">
          <h3 ref={resultRef} tabIndex={-1} className="answered-heading">
            Your answer
          </h3>
          <p className="answer-text">{question.answer.text}</p>
          {evaluation ? (
            <EvaluationPanel evaluation={evaluation} fallbackReason={reason} />
          ) : (
            <p className="scoring" role="status">
              <span className="spinner" aria-hidden="true" /> Scoring your answer… You can go on
              meanwhile: the feedback will be here when you come back.
            </p>
          )}
        </div>
      )}

      {question.answer ? <FollowupQuestion view={view} parent={question} /> : null}

      <footer className="question-foot">
        {previous ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => onGo(previous.position)}
          >
            Previous question
          </button>
        ) : (
          <span />
        )}
        {allAnswered(view) ? (
          <Link to={`/interviews/${view.id}/report`} className="button button-primary">
            See your report
          </Link>
        ) : waiting && waiting.id !== question.id && question.answer ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => onGo(waiting.position)}
          >
            Answer the follow-up to question {waiting.position}
          </button>
        ) : next ? (
          question.answer ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => onGo(next.position)}
            >
              Next question
            </button>
          ) : null
        ) : isWritingQuestions(view) && question.answer ? (
          <p className="muted" role="status">
            The next question is being written…
          </p>
        ) : null}
      </footer>
    </article>
  );
}
