/**
 * The interview being prepared, live from the event stream: the resume read, the questions
 * written as they arrive. The candidate may start as soon as the first question exists. When
 * the AI was not available, the notice says so in plain words and what the fallback means, and
 * "Try the AI again" asks for new questions while nothing is answered yet.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { describeError } from "../api/errors";
import { regenerateQuestions, type SessionView } from "../api/sessions";
import { Notice } from "../components/Notice";
import { PageTitle } from "../components/PageTitle";
import { SessionLoadError } from "../components/SessionLoadError";
import { SessionNotices } from "../components/SessionNotices";
import { sessionKey, useLiveSession } from "../hooks/useLiveSession";
import {
  activityWords,
  canRegenerate,
  canStart,
  expectedTotal,
  isWritingQuestions,
  statusWords,
} from "../interview";

type StepState = "done" | "current" | "waiting";

function steps(view: SessionView): { label: string; detail: string; state: StepState }[] {
  const written = view.questions?.length ?? 0;
  const total = expectedTotal(view);
  const skills = view.profile?.skills ?? [];
  const parsed = view.status !== "parsing";
  const writing = parsed && isWritingQuestions(view);
  return [
    {
      label: "Reading your resume",
      detail: parsed
        ? skills.length > 0
          ? `Found ${skills.length} ${skills.length === 1 ? "skill" : "skills"}: ${skills.slice(0, 8).join(", ")}${skills.length > 8 ? "…" : ""}`
          : "Done."
        : "Finding your skills and experience…",
      state: parsed ? "done" : "current",
    },
    {
      label: "Writing your questions",
      detail:
        total > 0
          ? `${written} of ${total} written`
          : written > 0
            ? `${written} written`
            : parsed
              ? "Starting…"
              : "Next, once the resume is read.",
      state: !parsed ? "waiting" : writing ? "current" : "done",
    },
    {
      label: "Ready for you",
      detail: canStart(view) ? "You can begin." : "Soon.",
      state: canStart(view) ? (isWritingQuestions(view) ? "current" : "done") : "waiting",
    },
  ];
}

export function Preparing() {
  const { id = "" } = useParams();
  const session = useLiveSession(id);
  const queryClient = useQueryClient();
  const regenerate = useMutation({
    mutationFn: () => regenerateQuestions(id),
    onSuccess: (view) => queryClient.setQueryData(sessionKey(id), view),
  });

  if (session.isPending) {
    return (
      <p className="loading" role="status">
        Loading your interview…
      </p>
    );
  }
  if (session.isError) return <SessionLoadError error={session.error} />;

  const view = session.data;
  const written = view.questions?.length ?? 0;
  const total = expectedTotal(view);
  const writing = isWritingQuestions(view);
  const started = view.progress.answered > 0;

  return (
    <div className="page">
      <PageTitle title="Preparing your interview">Preparing your interview</PageTitle>
      <p className="lead">
        For the role of <strong className="role-name">{view.target_role}</strong>.
      </p>

      <section className="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading" className="visually-hidden">
          Progress
        </h2>
        <p className="status-line" role="status" aria-live="polite">
          {view.status === "failed"
            ? "This interview could not be prepared."
            : writing
              ? `${activityWords(view) ?? statusWords(view.status)}… ${written > 0 ? `${written} ${written === 1 ? "question" : "questions"} ready.` : ""}`
              : `All ${written} questions are ready.`}
        </p>
        <progress
          className="progress"
          max={Math.max(total, 1)}
          value={written}
          aria-label="Questions written"
        />
        <ol className="steps">
          {steps(view).map((step) => (
            <li
              key={step.label}
              className={`step step-${step.state}`}
              aria-current={step.state === "current" ? "step" : undefined}
            >
              <span className="step-marker" aria-hidden="true">
                <svg className="step-check" viewBox="0 0 24 24" aria-hidden="true">
                  <path d="m6 12.5 4 4 8-9" />
                </svg>
              </span>
              <span className="step-label">{step.label}</span>
              <span className="step-detail">{step.detail}</span>
            </li>
          ))}
        </ol>
      </section>

      <SessionNotices notices={view.notices ?? []} stages={["resume", "questions", "session"]} />

      {view.status === "failed" ? (
        <Notice level="error" title="Something went wrong">
          <p>
            No questions could be written for this interview. Please start a new one; if it happens
            again, try another copy of your resume.
          </p>
          <Link to="/interviews/new" className="button">
            Start a new interview
          </Link>
        </Notice>
      ) : (
        <div className="start-row">
          {canStart(view) ? (
            <Link to={`/interviews/${view.id}/room`} className="button button-primary button-large">
              {started ? "Continue the interview" : "Start the interview"}
            </Link>
          ) : (
            <button type="button" className="button button-primary button-large" disabled>
              Start the interview
            </button>
          )}
          <p className="muted">
            {canStart(view)
              ? writing
                ? "You can begin now: the other questions appear as they are written."
                : "Take your time. There is no time limit unless you set one."
              : "The first question will be ready in a moment."}
          </p>
        </div>
      )}
      {canRegenerate(view) ? (
        <section className="card regenerate" aria-labelledby="regenerate-heading">
          <h2 id="regenerate-heading">Want questions written for you?</h2>
          <p>
            If the AI is back, it can write personal questions from your resume. This replaces the
            current questions, so it is possible only before you answer the first one.
          </p>
          <button
            type="button"
            className="button"
            disabled={regenerate.isPending}
            onClick={() => regenerate.mutate()}
          >
            {regenerate.isPending ? "Asking the AI…" : "Try the AI again"}
          </button>
          {regenerate.isError ? (
            <Notice level="error">
              <p>{describeError(regenerate.error)}</p>
            </Notice>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
