/**
 * The signed-in account as server state: `null` when nobody is signed in (the gateway's 401),
 * so screens can tell "signed out" from "still asking" and from "the gateway is down".
 */
import { type QueryClient, useQuery } from "@tanstack/react-query";
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
