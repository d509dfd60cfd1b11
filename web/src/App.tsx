/**
 * The app's screens and their addresses. Every screen but sign-in and sign-up needs an account.
 */
import { QueryCache, QueryClient } from "@tanstack/react-query";
import { Navigate, Route, Routes } from "react-router";
import { ApiError } from "./api/errors";
import { Layout } from "./components/Layout";
import { RequireAccount } from "./components/RequireAccount";
import { accountKey, forgetAccount } from "./hooks/useAccount";
import { Account } from "./screens/Account";
import { History } from "./screens/History";
import { InterviewRoom } from "./screens/InterviewRoom";
import { NewInterview } from "./screens/NewInterview";
import { NotFound } from "./screens/NotFound";
import { OpenInterview } from "./screens/OpenInterview";
import { Preparing } from "./screens/Preparing";
import { Report } from "./screens/Report";
import { SignIn } from "./screens/SignIn";
import { SignUp } from "./screens/SignUp";

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/signin" element={<SignIn />} />
        <Route path="/signup" element={<SignUp />} />
        <Route element={<RequireAccount />}>
          <Route index element={<Navigate to="/interviews/new" replace />} />
          <Route path="/interviews" element={<History />} />
          <Route path="/interviews/new" element={<NewInterview />} />
          <Route path="/interviews/:id" element={<OpenInterview />} />
          <Route path="/interviews/:id/preparing" element={<Preparing />} />
          <Route path="/interviews/:id/room" element={<InterviewRoom />} />
          <Route path="/interviews/:id/report" element={<Report />} />
          <Route path="/account" element={<Account />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** One cache of server state; a 401 anywhere means the session ended: back to sign-in. */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (
          error instanceof ApiError &&
          error.status === 401 &&
          query.queryKey[0] !== accountKey[0]
        ) {
          forgetAccount(queryClient);
        }
      },
    }),
    defaultOptions: {
      queries: {
        // A refusal (4xx) will not change by asking again; a network blip or 5xx may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
