/**
 * One interview's session view, kept live: TanStack Query holds the view, and the gateway's
 * event stream (`GET /v1/sessions/{id}/events`, Server-Sent Events) writes each new view into
 * that cache, so every screen showing the session re-renders from one copy. Where the stream
 * cannot be opened or drops, the view is polled instead until the stream is back.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  FINAL_STATUSES,
  getSession,
  newerView,
  type SessionView,
  sessionEventsUrl,
} from "../api/sessions";

export const sessionKey = (id: string) => ["session", id] as const;
export const sessionsKey = ["sessions"] as const;

/** How often the view is asked for while the stream is not open. */
export const POLL_INTERVAL_MS = 2000;

type StreamState = "connecting" | "open" | "unavailable";

export function useLiveSession(id: string) {
  const queryClient = useQueryClient();
  const [stream, setStream] = useState<StreamState>("connecting");
  // Bumped to open a fresh stream after the gateway ended one (an `expired` event).
  const [generation, setGeneration] = useState(0);

  const query = useQuery({
    queryKey: sessionKey(id),
    // A fetch that set out before the stream's newest view must not overwrite it: the stream
    // sends nothing more while nothing changes, so the page would stay on the older view. The
    // cache is read once the answer is in, not when the fetch sets out.
    queryFn: async () => {
      const fetched = await getSession(id);
      return newerView(queryClient.getQueryData<SessionView>(sessionKey(id)), fetched);
    },
    refetchInterval: (q) =>
      stream !== "open" && !isFinal(q.state.data) && q.state.status !== "error"
        ? POLL_INTERVAL_MS
        : false,
  });
  const final = isFinal(query.data);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation reopens the stream
  useEffect(() => {
    if (final) return;
    const EventSourceClass = globalThis.EventSource;
    if (!EventSourceClass) {
      setStream("unavailable");
      return;
    }
    setStream("connecting");
    // Same origin: the browser sends the session cookie with the stream's request.
    const source = new EventSourceClass(sessionEventsUrl(id));
    source.addEventListener("open", () => setStream("open"));
    source.addEventListener("session", (event) => {
      const view = JSON.parse((event as MessageEvent<string>).data) as SessionView;
      queryClient.setQueryData<SessionView>(sessionKey(id), (old) => newerView(old, view));
      if (isFinal(view)) {
        source.close();
        void queryClient.invalidateQueries({ queryKey: sessionsKey });
      }
    });
    source.addEventListener("expired", () => {
      source.close();
      setGeneration((n) => n + 1);
    });
    source.addEventListener("error", () => {
      // CONNECTING: the browser retries by itself; CLOSED: refused (signed out, deleted, too
      // many streams). Either way the poll covers the gap, and a refused one says why.
      setStream("unavailable");
      if (source.readyState === EventSourceClass.CLOSED) {
        void queryClient.invalidateQueries({ queryKey: sessionKey(id) });
      }
    });
    return () => source.close();
  }, [id, final, generation, queryClient]);

  return query;
}

function isFinal(view: SessionView | undefined): boolean {
  return view !== undefined && FINAL_STATUSES.has(view.status);
}
