/**
 * Sign in with email and password, then go back to where the person was headed.
 */
import { Link, Navigate } from "react-router";
import { type Credentials, signIn } from "../api/accounts";
import { ApiError, describeError, fieldErrors } from "../api/errors";
import { CredentialsForm } from "../components/CredentialsForm";
import { PageTitle } from "../components/PageTitle";
import { type CredentialErrors, safeNext, useCredentialsFlow } from "../hooks/useCredentialsFlow";

export { safeNext };

export function SignIn() {
  const { next, mutation, alreadySignedIn, localErrors, setLocalErrors } =
    useCredentialsFlow(signIn);
  if (alreadySignedIn) return <Navigate to={next} replace />;

  function submit(credentials: Credentials) {
    const errors: CredentialErrors = {};
    if (!credentials.email) errors.email = "Enter your email address.";
    if (!credentials.password) errors.password = "Enter your password.";
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) mutation.mutate(credentials);
  }

  const error = mutation.error;
  const formError =
    error instanceof ApiError && error.status === 401
      ? "That email and password do not match an account. Check them and try again."
      : error && Object.keys(fieldErrors(error)).length === 0
        ? describeError(error)
        : null;

  return (
    <div className="page narrow">
      <PageTitle>Sign in</PageTitle>
      <p className="lead">Welcome back. Pick up your practice where you left it.</p>
      <CredentialsForm
        submitText="Sign in"
        busyText="Signing in…"
        busy={mutation.isPending}
        passwordAutocomplete="current-password"
        formError={formError}
        fieldErrors={{ ...fieldErrors(error), ...localErrors }}
        onSubmit={submit}
      >
        <p className="form-footer">
          New to CareerFlow?{" "}
          <Link to={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
        </p>
      </CredentialsForm>
    </div>
  );
}
