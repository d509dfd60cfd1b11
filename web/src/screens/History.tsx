/**
 * My interviews: date, role, where each stands and its score, a chart of the overall score over
 * time, open and delete (with confirmation). The list pages through the gateway's cursor.
 */
import { useInfiniteQuery, useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { describeError } from "../api/errors";
import { deleteSession, getReport, listSessions, type SessionSummary } from "../api/sessions";
import { ConfirmAction } from "../components/ConfirmAction";
import { Notice } from "../components/Notice";
import { PageTitle } from "../components/PageTitle";
import { ScoreChart, type ScorePoint } from "../components/ScoreChart";
import { sessionKey, sessionsKey } from "../hooks/useLiveSession";
import { formatDate, percent, statusWords } from "../interview";

export const reportKey = (id: string) => ["report", id] as const;

export function History() {
  const queryClient = useQueryClient();
  const pages = useInfiniteQuery({
    queryKey: sessionsKey,
    queryFn: ({ pageParam }) => listSessions(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const sessions = pages.data?.pages.flatMap((page) => page.items) ?? [];
  // Each line carries its score (null until the report's numbers are stored). A gateway of an
  // earlier release leaves the field out: a finished interview's report gives it then (cached,
  // immutable), one request each.
  const unscored = sessions.filter(
    (s) => s.status === "completed" && s.overall_score === undefined,
  );
  const reports = useQueries({
    queries: unscored.map((s) => ({
      queryKey: reportKey(s.id),
      queryFn: () => getReport(s.id),
      staleTime: Number.POSITIVE_INFINITY,
    })),
  });
  const scores = new Map<string, number>();
  for (const s of sessions) {
    if (s.overall_score !== undefined && s.overall_score !== null) {
      scores.set(s.id, s.overall_score);
    }
  }
  unscored.forEach((s, i) => {
    const score = reports[i]?.data?.overall_score;
    if (score !== undefined) scores.set(s.id, score);
  });

  const remove = useMutation({
    mutationFn: deleteSession,
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: sessionKey(id) });
      queryClient.removeQueries({ queryKey: reportKey(id) });
      return queryClient.invalidateQueries({ queryKey: sessionsKey });
    },
  });

  const points: ScorePoint[] = sessions.flatMap((s) => {
    const score = scores.get(s.id);
    return score === undefined
      ? []
      : [{ id: s.id, date: s.created_at, label: formatDate(s.created_at), score }];
  });

  return (
    <div className="page">
      <div className="page-head">
        <PageTitle>Your interviews</PageTitle>
        <Link to="/interviews/new" className="button button-primary">
          New interview
        </Link>
      </div>

      {pages.isPending ? (
        <p className="loading" role="status">
          Loading your interviews…
        </p>
      ) : pages.isError ? (
        <Notice level="error">
          <p>{describeError(pages.error)}</p>
        </Notice>
      ) : sessions.length === 0 ? (
        <section className="card empty">
          <h2>No interviews yet</h2>
          <p>Your practice interviews and their scores will be listed here.</p>
          <Link to="/interviews/new" className="button button-primary">
            Start your first interview
          </Link>
        </section>
      ) : (
        <>
          {points.length > 0 ? (
            <section className="card" aria-labelledby="trend-heading">
              <h2 id="trend-heading">Your progress</h2>
              <ScoreChart points={points} />
            </section>
          ) : null}
          {remove.isError ? (
            <Notice level="error">
              <p>{describeError(remove.error)}</p>
            </Notice>
          ) : null}
          <ul className="history-list" aria-label="Interviews">
            {sessions.map((s) => (
              <HistoryItem
                key={s.id}
                session={s}
                score={scores.get(s.id)}
                deleting={remove.isPending && remove.variables === s.id}
                onDelete={() => remove.mutate(s.id)}
              />
            ))}
          </ul>
          {pages.hasNextPage ? (
            <button
              type="button"
              className="button"
              disabled={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
            >
              {pages.isFetchingNextPage ? "Loading…" : "Show older interviews"}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function HistoryItem({
  session,
  score,
  deleting,
  onDelete,
}: {
  session: SessionSummary;
  score: number | undefined;
  deleting: boolean;
  onDelete: () => void;
}) {
  const date = formatDate(session.created_at);
  const where =
    session.status === "in_progress"
      ? progressWords(session.progress)
      : statusWords(session.status);
  const name = `${session.target_role}, ${date}`;
  return (
    <li className="history-item">
      <div className="history-main">
        <h2 className="history-role">
          <Link to={`/interviews/${session.id}`} aria-label={`Open ${name}`}>
            {session.target_role}
          </Link>
        </h2>
        <p className="history-meta">
          <time dateTime={session.created_at}>{date}</time>
          <span aria-hidden="true"> · </span>
          <span className={`status status-${session.status}`}>{where}</span>
        </p>
      </div>
      <p className="history-score">
        {score !== undefined ? (
          <>
            <span className="score-number">{percent(score)}</span>
            <span className="score-of">/100</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </p>
      <div className="history-actions">
        <ConfirmAction
          action="Delete"
          actionLabel={`Delete ${name}`}
          question={`Delete the interview for ${name}? Its answers and report are erased for good.`}
          confirmText={deleting ? "Deleting…" : "Delete for good"}
          cancelText="Keep it"
          busy={deleting}
          onConfirm={onDelete}
        />
      </div>
    </li>
  );
}

/**
 * "3 of 10 answered"; a skipped follow-up is done without an answer, so it is said beside the
 * count ("12 of 13 answered, 1 skipped") instead of leaving the list one short of the total.
 */
function progressWords({ answered, total, skipped }: SessionSummary["progress"]): string {
  const done = `${answered} of ${total} answered`;
  return skipped ? `${done}, ${skipped} skipped` : done;
}
