/**
 * Shows its screens only to a signed-in person; anyone else goes to the sign-in screen, which
 * brings them back here afterwards.
 */
import { Navigate, Outlet, useLocation } from "react-router";
import { describeError } from "../api/errors";
import { useAccount } from "../hooks/useAccount";
import { Notice } from "./Notice";

export function RequireAccount() {
  const account = useAccount();
  const location = useLocation();

  if (account.isPending) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (account.isError) {
    return (
      <div className="page narrow">
        <Notice level="error" title="CareerFlow is not answering">
          <p>{describeError(account.error)}</p>
        </Notice>
        <button type="button" className="button" onClick={() => void account.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (account.data === null) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
