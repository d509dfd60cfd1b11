/**
 * Opening an interview from the history or a link: go to the screen for where it stands
 * (being prepared, being answered, or finished).
 */
import { Navigate, useParams } from "react-router";
import { SessionLoadError } from "../components/SessionLoadError";
import { useLiveSession } from "../hooks/useLiveSession";

export function OpenInterview() {
  const { id = "" } = useParams();
  const session = useLiveSession(id);
  if (session.isPending) {
    return (
      <p className="loading" role="status">
        Opening your interview…
      </p>
    );
  }
  if (session.isError) return <SessionLoadError error={session.error} />;
  const view = session.data;
  const place =
    view.status === "completed" ? "report" : view.status === "in_progress" ? "room" : "preparing";
  return <Navigate to={`/interviews/${view.id}/${place}`} replace />;
}
