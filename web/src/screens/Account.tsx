/**
 * My account: who is signed in, sign out, and delete the account with every interview in it
 * (after an explicit confirmation).
 */
import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { deleteAccount, signOut } from "../api/accounts";
import { describeError } from "../api/errors";
import { ConfirmAction } from "../components/ConfirmAction";
import { Notice } from "../components/Notice";
import { PageTitle } from "../components/PageTitle";
import { SIGNED_OUT, useAccount } from "../hooks/useAccount";

export function Account() {
  const { data: account } = useAccount();
  const navigate = useNavigate();

  // The screen we go to forgets the account (see useSignedOutArrival): forgetting it here
  // would first send this screen, which needs an account, to sign-in.
  const leave = (to: string) => () => navigate(to, { replace: true, state: SIGNED_OUT });
  const signingOut = useMutation({ mutationFn: signOut, onSuccess: leave("/signin") });
  const erasing = useMutation({ mutationFn: deleteAccount, onSuccess: leave("/signup") });
  const failed = signingOut.error ?? erasing.error;

  return (
    <div className="page narrow">
      <PageTitle>Your account</PageTitle>
      {failed ? (
        <Notice level="error">
          <p>{describeError(failed)}</p>
        </Notice>
      ) : null}
      <section className="card">
        <p>
          Signed in as <strong className="account-email">{account?.email}</strong>
        </p>
        <button
          type="button"
          className="button"
          disabled={signingOut.isPending}
          onClick={() => signingOut.mutate()}
        >
          {signingOut.isPending ? "Signing out…" : "Sign out"}
        </button>
      </section>
      <section className="card danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>
          This erases your account and every interview in it: resumes, answers, feedback and
          reports. It cannot be undone.
        </p>
        <ConfirmAction
          action="Delete my account"
          question="Delete your account and all your interviews for good?"
          confirmText={erasing.isPending ? "Deleting…" : "Yes, delete everything"}
          cancelText="Keep my account"
          busy={erasing.isPending}
          onConfirm={() => erasing.mutate()}
        />
      </section>
    </div>
  );
}
