/**
 * The live session view: a fetch answered after the stream's newest view must not overwrite it.
 * The stream sends nothing more while nothing changes, so an overwritten page froze (the
 * browser suite saw it stay on "Writing questions, 0 of 10").
 */
import { act, screen, waitFor } from "@testing-library/react";
import type { SessionView } from "../api/sessions";
import { question, SESSION_ID, sessionView } from "../test/fixtures";
import { FakeEventSource, json } from "../test/gateway";
import { renderApp } from "../test/render";
import { sessionKey } from "./useLiveSession";

const PATH = `/interviews/${SESSION_ID}/preparing`;
const STREAM = `/v1/sessions/${SESSION_ID}/events`;
const SESSION = `/v1/sessions/${SESSION_ID}`;

/**
 * The app on the Preparing screen, whose session fetches are answered by `first` at once until
 * `holdFetches()`; from then on each waits until the test calls `answer(view)`.
 */
function openHeld(first?: SessionView) {
  let held = first === undefined;
  const waiting: ((response: Response) => void)[] = [];
  const app = renderApp(PATH, {
    routes: (g) =>
      g.on("GET", "/v1/sessions/:id", () =>
        held || first === undefined
          ? new Promise<Response>((resolve) => waiting.push(resolve))
          : json(200, first),
      ),
  });
  return {
    ...app,
    holdFetches: () => {
      held = true;
    },
    /** Answers the oldest waiting fetch with `view`, and lets the app take it in. */
    answer: async (view: SessionView) => {
      const respond = waiting.shift();
      if (!respond) throw new Error("no session fetch is waiting");
      respond(json(200, view));
      await waitFor(() => expect(app.queryClient.isFetching()).toBe(0));
      // TanStack Query tells its observers on the next macrotask: let it before looking.
      await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    },
  };
}

describe("useLiveSession", () => {
  test("the first fetch, answered after the stream's newest view, does not overwrite it", async () => {
    // The session as it was when the page asked for it, and as the stream sends it meanwhile.
    const asked = sessionView({ status: "generating", questions: [] });
    const streamed = sessionView({
      status: "generating",
      questions: [question(1), question(2), question(3)],
      activity: [{ stage: "questions", message: "Writing questions, 3 of 10", done: 3, total: 10 }],
    });
    const { gateway, answer } = openHeld();
    // The screen mounts once the account is known; it asks for the view and opens the stream.
    const stream = await waitFor(() => FakeEventSource.latest(STREAM));
    stream.open();
    expect(gateway.calls("GET", SESSION)).toHaveLength(1);

    await stream.send("session", streamed);
    expect(await screen.findByText("3 of 10 written")).toBeVisible();

    await answer(asked);
    expect(screen.getByText("3 of 10 written")).toBeVisible();
    expect(screen.getByText("Writing questions, 3 of 10… 3 questions ready.")).toBeVisible();
    expect(screen.queryByText("0 of 10 written")).not.toBeInTheDocument();
  });

  test("a later fetch, answered after the stream's newest view, does not overwrite it", async () => {
    const first = sessionView({ status: "generating", questions: [] });
    const { gateway, queryClient, holdFetches, answer } = openHeld(first);
    expect(await screen.findByText("0 of 10 written")).toBeVisible();
    const stream = FakeEventSource.latest(STREAM);

    // Asked again (as the poll or a window focus asks) while the session is still as first seen.
    holdFetches();
    void act(() => queryClient.invalidateQueries({ queryKey: sessionKey(SESSION_ID) }));
    await waitFor(() => expect(gateway.calls("GET", SESSION)).toHaveLength(2));
    await stream.send(
      "session",
      sessionView({ status: "generating", questions: [question(1), question(2)] }),
    );
    expect(await screen.findByText("2 of 10 written")).toBeVisible();

    await answer(first);
    expect(screen.getByText("2 of 10 written")).toBeVisible();
  });
});
