/**
 * Create an account with an email and a password (12 to 256 characters), then start.
 */
import { Link, Navigate } from "react-router";
import { type Credentials, PASSWORD_MAX, PASSWORD_MIN, signUp } from "../api/accounts";
import { ApiError, describeError, fieldErrors } from "../api/errors";
import { CredentialsForm } from "../components/CredentialsForm";
import { PageTitle } from "../components/PageTitle";
import { useCredentialsFlow } from "../hooks/useCredentialsFlow";

/** What is wrong with the fields before asking the server, by field. */
export function checkNewAccount(
  credentials: Credentials,
): Partial<Record<keyof Credentials, string>> {
  const errors: Partial<Record<keyof Credentials, string>> = {};
  if (!/^[^\s@]+@[^\s@]+$/.test(credentials.email)) {
    errors.email = "Enter an email address, like name@example.com.";
  }
  if (credentials.password.length < PASSWORD_MIN) {
    errors.password = `Use at least ${PASSWORD_MIN} characters (you have ${credentials.password.length}).`;
  } else if (credentials.password.length > PASSWORD_MAX) {
    errors.password = `Use at most ${PASSWORD_MAX} characters.`;
  }
  return errors;
}

export function SignUp() {
  const { next, mutation, alreadySignedIn, localErrors, setLocalErrors } =
    useCredentialsFlow(signUp);
  if (alreadySignedIn) return <Navigate to={next} replace />;

  function submit(credentials: Credentials) {
    const errors = checkNewAccount(credentials);
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) mutation.mutate(credentials);
  }

  const error = mutation.error;
  const taken = error instanceof ApiError && error.status === 409;
  const formError = taken
    ? null
    : error && Object.keys(fieldErrors(error)).length === 0
      ? describeError(error)
      : null;
  const serverFieldErrors = fieldErrors(error);
  if (taken) serverFieldErrors.email = "An account with this email already exists.";

  return (
    <div className="page narrow">
      <PageTitle>Create your account</PageTitle>
      <p className="lead">
        Practise interviews with questions written for your resume and the job you want. Your
        interviews stay private to your account, and you can delete them at any time.
      </p>
      <CredentialsForm
        submitText="Create account"
        busyText="Creating your account…"
        busy={mutation.isPending}
        passwordAutocomplete="new-password"
        passwordHint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong one.`}
        formError={formError}
        fieldErrors={{ ...serverFieldErrors, ...localErrors }}
        onSubmit={submit}
      >
        <p className="form-footer">
          {taken ? "Is it yours? " : "Already have an account? "}
          <Link to={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
        </p>
      </CredentialsForm>
    </div>
  );
}
