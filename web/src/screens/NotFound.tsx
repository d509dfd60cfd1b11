/**
 * An address the app does not know.
 */
import { Link } from "react-router";
import { PageTitle } from "../components/PageTitle";

export function NotFound() {
  return (
    <div className="page narrow">
      <PageTitle>Page not found</PageTitle>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/">Go to the start</Link>
      </p>
    </div>
  );
}
