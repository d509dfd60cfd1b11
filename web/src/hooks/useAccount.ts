/**
 * The signed-in account as server state: `null` when nobody is signed in (the gateway's 401),
 * so screens can tell "signed out" from "still asking" and from "the gateway is down".
 */
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useLocation } from "react-router";
import { type Account, currentAccount } from "../api/accounts";
import { ApiError } from "../api/errors";

export const accountKey = ["account"] as const;

export function useAccount() {
  return useQuery<Account | null>({
    queryKey: accountKey,
    queryFn: async () => {
      try {
        return await currentAccount();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Forgets every piece of server state and records that nobody is signed in. */
export function forgetAccount(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== accountKey[0] });
  queryClient.setQueryData(accountKey, null);
}

/** Navigation state of a screen reached by signing out or deleting the account. */
export const SIGNED_OUT = { signedOut: true } as const;

/**
 * True on a screen reached by signing out: that screen then forgets the account, once it is
 * on screen (so the screen left behind never sees "nobody signed in" and redirects elsewhere).
 */
export function useSignedOutArrival(): boolean {
  const location = useLocation();
  const queryClient = useQueryClient();
  const signedOut = (location.state as { signedOut?: boolean } | null)?.signedOut === true;
  useEffect(() => {
    if (signedOut) forgetAccount(queryClient);
  }, [signedOut, queryClient]);
  return signedOut;
}
