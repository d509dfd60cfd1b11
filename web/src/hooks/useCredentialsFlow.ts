/**
 * What signing in and signing up share: where to go afterwards, the request that sets the
 * account, the form's own errors, and sending someone already signed in on their way.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import type { Account, Credentials } from "../api/accounts";
import { accountKey, useAccount, useSignedOutArrival } from "./useAccount";

export type CredentialErrors = Partial<Record<keyof Credentials, string>>;

/** Where to go after signing in: a path of this app only, never another site. */
export function safeNext(next: string | null): string {
  // "//host" and "/\\host" are other sites to a browser's URL parser.
  return next?.startsWith("/") && !next.startsWith("//") && !next.includes("\\")
    ? next
    : "/interviews/new";
}

export function useCredentialsFlow(send: (credentials: Credentials) => Promise<Account>) {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const account = useAccount();
  const signedOut = useSignedOutArrival();
  const [localErrors, setLocalErrors] = useState<CredentialErrors>({});

  const mutation = useMutation({
    mutationFn: send,
    onSuccess: (signedIn) => {
      queryClient.setQueryData(accountKey, signedIn);
      navigate(next, { replace: true });
    },
  });

  const alreadySignedIn =
    Boolean(account.data) && !signedOut && !mutation.isPending && !mutation.isSuccess;
  return { next, mutation, alreadySignedIn, localErrors, setLocalErrors };
}
