/**
 * The final report: the overall score, the score by kind, the skill match (matched and missing
 * skills), strengths and improvements, and each question's score. Until the report is written
 * it shows how far the scoring is. The print stylesheet turns it into a clean page for the
 * browser's "Save as PDF".
 */
import { Link, useParams } from "react-router";
import type { ReportNumbers, ReportView, SessionView } from "../api/sessions";
import { TextList } from "../components/EvaluationPanel";
import { PageTitle } from "../components/PageTitle";
import { ScoreBars } from "../components/ScoreBars";
import { ScoringStatus } from "../components/ScoringStatus";
import { SessionLoadError } from "../components/SessionLoadError";
import { SessionNotices } from "../components/SessionNotices";
import { SourceBadge } from "../components/SourceBadge";
import { useLiveSession } from "../hooks/useLiveSession";
import { fallbackNotice, formatDate, formatTime, orderedQuestions, percent } from "../interview";

export function Report() {
  const { id = "" } = useParams();
  const session = useLiveSession(id);

  if (session.isPending) {
    return (
      <p className="loading" role="status">
        Loading your report…
      </p>
    );
  }
  if (session.isError) return <SessionLoadError error={session.error} />;

  const view = session.data;
  // The numbers come first (the moment the last answer is scored), the words after them.
  const report = view.status === "completed" ? (view.report ?? null) : null;
  const numbers = report ?? view.report_numbers ?? null;
  if (!numbers) return <ReportPending view={view} />;
  return <ReportBody view={view} numbers={numbers} words={report} />;
}

function ReportPending({ view }: { view: SessionView }) {
  const { evaluated, answered, total } = view.progress;
  const unanswered = total - answered;
  return (
    <div className="page narrow">
      <PageTitle>Your report is on its way</PageTitle>
      <section className="card">
        <p role="status" aria-live="polite" className="status-line">
          {unanswered > 0
            ? `${unanswered} ${unanswered === 1 ? "question is" : "questions are"} still unanswered.`
            : evaluated < total
              ? `Scoring your answers: ${evaluated} of ${total} done.`
              : "Writing your report…"}
        </p>
        <progress
          className="progress"
          max={Math.max(total, 1)}
          value={evaluated}
          aria-label="Answers scored"
        />
        <ScoringStatus view={view} announce={false} />
        {unanswered > 0 ? (
          <Link to={`/interviews/${view.id}/room`} className="button button-primary">
            Back to the interview
          </Link>
        ) : (
          <p className="muted">This page updates by itself.</p>
        )}
      </section>
    </div>
  );
}

function ReportBody({
  view,
  numbers,
  words,
}: {
  view: SessionView;
  numbers: ReportNumbers;
  /** The report's words, or null while the evaluator writes them. */
  words: ReportView | null;
}) {
  const matched = numbers.skill_match.matched ?? [];
  const missing = numbers.skill_match.missing ?? [];
  const expectedBy = view.report_narrative?.expected_by;
  return (
    <div className="page report">
      <div className="report-head">
        <div>
          <PageTitle title={`Report: ${view.target_role}`}>Your interview report</PageTitle>
          <p className="lead">
            <strong className="role-name">{view.target_role}</strong> ·{" "}
            {formatDate(view.created_at)}
          </p>
        </div>
        <div className="button-row no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            Print or save as PDF
          </button>
        </div>
      </div>

      <section className="card report-overview" aria-labelledby="overall-heading">
        <div className="overall">
          <h2 id="overall-heading" className="overall-label">
            Overall score
          </h2>
          <p className="overall-score">
            <span className="score-number">{percent(numbers.overall_score)}</span>
            <span className="score-of"> out of 100</span>
          </p>
          {words ? (
            <SourceBadge source={words.source} reason={fallbackNotice(view, "report")?.message} />
          ) : null}
        </div>
        <div className="by-kind">
          <h2 className="section-label">By kind of question</h2>
          <ScoreBars
            label="Score by kind of question"
            max={100}
            bars={[
              { label: "Technical", value: numbers.by_kind.technical ?? null },
              { label: "Behavioral", value: numbers.by_kind.behavioral ?? null },
            ]}
          />
        </div>
      </section>

      {words ? (
        words.summary ? (
          <section className="card" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Summary</h2>
            <p className="report-summary">{words.summary}</p>
            <div className="two-lists">
              <TextList title="Strengths" items={words.strengths ?? []} />
              <TextList title="To improve" items={words.improvements ?? []} />
            </div>
          </section>
        ) : null
      ) : (
        <section className="card" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <p className="scoring" role="status">
            <span className="spinner" aria-hidden="true" /> Your scores are in. The summary,
            strengths and improvements are being written
            {expectedBy ? `, at the latest by ${formatTime(expectedBy)}` : ""}.
          </p>
        </section>
      )}

      <section className="card" aria-labelledby="skills-heading">
        <h2 id="skills-heading">Skill match: {percent(numbers.skill_match.score)}%</h2>
        <p className="muted">
          The skills the job description asks for, and whether your resume shows them.
        </p>
        <div className="two-lists">
          <div className="text-list">
            <h3>Matched ({matched.length})</h3>
            {matched.length > 0 ? (
              <ul className="chips" aria-label="Matched skills">
                {matched.map((skill) => (
                  <li key={skill} className="chip chip-matched">
                    {skill}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">None found.</p>
            )}
          </div>
          <div className="text-list">
            <h3>Missing ({missing.length})</h3>
            {missing.length > 0 ? (
              <ul className="chips" aria-label="Missing skills">
                {missing.map((skill) => (
                  <li key={skill} className="chip chip-missing">
                    {skill}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">None: your resume covers every skill the job names.</p>
            )}
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="questions-heading">
        <h2 id="questions-heading">Question by question</h2>
        {(numbers.followups ?? []).length > 0 ? (
          <p className="muted">
            The interviewer asked {(numbers.followups ?? []).length} follow-up
            {(numbers.followups ?? []).length === 1 ? "" : "s"}. A topic with a follow-up is scored
            from both answers (their mean, never below the first); a skipped follow-up leaves the
            first answer's score.
          </p>
        ) : null}
        <ol className="report-questions">
          {orderedQuestions(view).map((q) => {
            const evaluation = q.answer?.evaluation;
            const followup = (numbers.followups ?? []).find((f) => f.position === q.position);
            return (
              <li key={q.id} className="report-question">
                <p className="report-question-text">{q.text}</p>
                <p className="report-question-meta">
                  {evaluation ? (
                    <>
                      <strong>{evaluation.score} / 10</strong>{" "}
                      <SourceBadge source={evaluation.source} />
                    </>
                  ) : (
                    <span className="muted">Not answered</span>
                  )}
                </p>
                {evaluation?.feedback ? (
                  <p className="report-question-feedback">{evaluation.feedback}</p>
                ) : null}
                {followup ? (
                  <div className="report-followup">
                    <p className="report-question-text">Follow-up: {followup.text}</p>
                    <p className="report-question-meta">
                      {followup.skipped ? (
                        <span>Skipped (not scored)</span>
                      ) : (
                        <strong>{followup.score ?? "–"} / 10</strong>
                      )}
                      {" · "}
                      <span>Topic score with the follow-up: {followup.topic_score} / 10</span>
                    </p>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
        <p className="no-print">
          <Link to={`/interviews/${view.id}/room?question=1`}>
            Review your answers and feedback
          </Link>
        </p>
      </section>

      <SessionNotices notices={view.notices ?? []} />

      <div className="button-row no-print">
        <Link to="/interviews/new" className="button button-primary">
          Practise again
        </Link>
        <Link to="/interviews" className="button">
          All your interviews
        </Link>
      </div>
    </div>
  );
}
