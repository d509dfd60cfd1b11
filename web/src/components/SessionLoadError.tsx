/**
 * What a screen of one interview shows when the interview cannot be loaded.
 */
import { Link } from "react-router";
import { describeError } from "../api/errors";
import { Notice } from "../components/Notice";
import { PageTitle } from "../components/PageTitle";

export function SessionLoadError({ error }: { error: unknown }) {
  return (
    <div className="page narrow">
      <PageTitle>Interview not available</PageTitle>
      <Notice level="error">
        <p>{describeError(error)}</p>
      </Notice>
      <p>
        <Link to="/interviews">Back to your interviews</Link>
      </p>
    </div>
  );
}
