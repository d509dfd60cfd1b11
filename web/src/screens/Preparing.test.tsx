import { screen } from "@testing-library/react";
import {
  FALLBACK_QUESTIONS_NOTICE,
  question,
  questions,
  SESSION_ID,
  sessionView,
} from "../test/fixtures";
import { FakeEventSource, json, problem } from "../test/gateway";
import { CSRF_TOKEN, currentPath, renderApp } from "../test/render";

const PATH = `/interviews/${SESSION_ID}/preparing`;
const STREAM = `/v1/sessions/${SESSION_ID}/events`;

function open(initial = sessionView({ status: "parsing" })) {
  return renderApp(PATH, {
    routes: (g) => g.on("GET", "/v1/sessions/:id", () => json(200, initial)),
  });
}

describe("Preparing", () => {
  test("follows the event stream: resume read, questions arriving one by one", async () => {
    open();
    expect(await screen.findByText("Finding your skills and experience…")).toBeVisible();
    expect(screen.getByRole("button", { name: "Start the interview" })).toBeDisabled();

    const stream = FakeEventSource.latest(STREAM);
    stream.open();
    await stream.send("session", sessionView({ status: "generating", questions: [] }));
    expect(await screen.findByText(/Found 3 skills: Python, PostgreSQL, RabbitMQ/)).toBeVisible();

    await stream.send("session", sessionView({ status: "generating", questions: [question(1)] }));
    expect(await screen.findByText("1 of 10 written")).toBeVisible();
    expect(screen.getByRole("progressbar", { name: "Questions written" })).toHaveAttribute(
      "value",
      "1",
    );

    await stream.send(
      "session",
      sessionView({
        status: "generating",
        questions: [question(1), question(2), question(3)],
        activity: [
          { stage: "questions", message: "Writing questions, 3 of 10", done: 3, total: 10 },
        ],
      }),
    );
    expect(await screen.findByText("3 of 10 written")).toBeVisible();
    expect(screen.getByText("Writing questions, 3 of 10… 3 questions ready.")).toBeVisible();
  });

  test("the candidate can start as soon as the first question exists", async () => {
    const { user } = open(sessionView({ status: "generating", questions: [question(1)] }));

    const start = await screen.findByRole("link", { name: "Start the interview" });
    expect(
      screen.getByText("You can begin now: the other questions appear as they are written."),
    ).toBeVisible();
    await user.click(start);

    expect(await screen.findByRole("heading", { name: "Question 1 of 10" })).toBeVisible();
    expect(currentPath()).toBe(`/interviews/${SESSION_ID}/room`);
  });

  test("an older view from the stream does not replace a newer one", async () => {
    const newer = sessionView({ status: "ready", questions: questions() });
    open(newer);
    expect(await screen.findByText("All 10 questions are ready.")).toBeVisible();

    const stream = FakeEventSource.latest(STREAM);
    await stream.send(
      "session",
      sessionView({
        status: "generating",
        questions: [],
        updated_at: "2020-01-01T00:00:00Z",
      }),
    );
    expect(screen.getByText("All 10 questions are ready.")).toBeVisible();
  });

  test("a fallback is explained in plain words, and the AI can be asked again", async () => {
    const fallback = sessionView({
      status: "ready",
      questions: questions().map((q) => ({ ...q, source: "fallback" as const })),
      notices: [FALLBACK_QUESTIONS_NOTICE],
    });
    const { gateway, user } = renderApp(PATH, {
      routes: (g) =>
        g
          .on("GET", "/v1/sessions/:id", () => json(200, fallback))
          .on("POST", "/v1/sessions/:id/regenerate", () =>
            json(202, sessionView({ status: "generating", questions: [] })),
          ),
    });

    expect(
      await screen.findByText("The AI service could not be reached; default questions were used."),
    ).toBeVisible();
    expect(screen.getByText(/These are standard questions for the role/)).toBeVisible();

    await user.click(screen.getByRole("button", { name: "Try the AI again" }));

    const [sent] = gateway.calls("POST", `/v1/sessions/${SESSION_ID}/regenerate`);
    expect(sent?.headers.get("X-CSRF-Token")).toBe(CSRF_TOKEN);
    expect(await screen.findByText("0 of 10 written")).toBeVisible();
    expect(screen.getByRole("status", { name: "" })).toHaveTextContent("Writing the questions…");
  });

  test("no second try is offered once answering has begun", async () => {
    open(
      sessionView({
        status: "in_progress",
        questions: questions(1).map((q) => ({ ...q, source: "fallback" as const })),
        notices: [FALLBACK_QUESTIONS_NOTICE],
      }),
    );
    expect(await screen.findByRole("link", { name: "Continue the interview" })).toBeVisible();
    expect(screen.queryByRole("button", { name: "Try the AI again" })).not.toBeInTheDocument();
  });

  test("the gateway's refusal of a second try is said in words", async () => {
    const { user } = renderApp(PATH, {
      routes: (g) =>
        g
          .on("GET", "/v1/sessions/:id", () =>
            json(
              200,
              sessionView({ questions: questions(), notices: [FALLBACK_QUESTIONS_NOTICE] }),
            ),
          )
          .on("POST", "/v1/sessions/:id/regenerate", () =>
            problem(429, "too-many-requests", "slow down", {}, { "Retry-After": "30" }),
          ),
    });
    await user.click(await screen.findByRole("button", { name: "Try the AI again" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Please wait 30 seconds");
  });

  test("without an event stream the view is polled", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { gateway } = open();
    // A browser without EventSource: polling takes over.
    vi.stubGlobal("EventSource", undefined);
    await screen.findByText("Finding your skills and experience…");
    const before = gateway.calls("GET", `/v1/sessions/${SESSION_ID}`).length;
    await vi.advanceTimersByTimeAsync(4500);
    expect(gateway.calls("GET", `/v1/sessions/${SESSION_ID}`).length).toBeGreaterThan(before);
  });

  test("a session that failed says so and offers a new start", async () => {
    open(sessionView({ status: "failed", questions: [] }));
    expect(await screen.findByText("This interview could not be prepared.")).toBeVisible();
    expect(screen.getByRole("link", { name: "Start a new interview" })).toHaveAttribute(
      "href",
      "/interviews/new",
    );
  });
});
