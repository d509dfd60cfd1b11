/**
 * Sign in with email and password, then go back to where the person was headed.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { type Credentials, signIn } from "../api/accounts";
import { ApiError, describeError, fieldErrors } from "../api/errors";
import { CredentialsForm } from "../components/CredentialsForm";
import { PageTitle } from "../components/PageTitle";
import { accountKey, useAccount, useSignedOutArrival } from "../hooks/useAccount";

/** Where to go after signing in: a path of this app only, never another site. */
export function safeNext(next: string | null): string {
  // "//host" and "/\\host" are other sites to a browser's URL parser.
  return next?.startsWith("/") && !next.startsWith("//") && !next.includes("\\")
    ? next
    : "/interviews/new";
}

export function SignIn() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const account = useAccount();
  const signedOut = useSignedOutArrival();
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof Credentials, string>>>({});

  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: (signedIn) => {
      queryClient.setQueryData(accountKey, signedIn);
      navigate(next, { replace: true });
    },
  });

  if (account.data && !signedOut && !mutation.isPending && !mutation.isSuccess) {
    return <Navigate to={next} replace />;
  }

  function submit(credentials: Credentials) {
    const errors: Partial<Record<keyof Credentials, string>> = {};
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
