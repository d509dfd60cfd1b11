import { act, screen, within } from "@testing-library/react";
import {
  evaluation,
  FALLBACK_EVALUATION_NOTICE,
  question,
  questions,
  SESSION_ID,
  sessionView,
} from "../test/fixtures";
import { FakeEventSource, json, problem } from "../test/gateway";
import { CSRF_TOKEN, renderApp } from "../test/render";

const PATH = `/interviews/${SESSION_ID}/room`;
const STREAM = `/v1/sessions/${SESSION_ID}/events`;

function openRoom(view = sessionView({ questions: questions() }), path = PATH) {
  return renderApp(path, { routes: (g) => g.on("GET", "/v1/sessions/:id", () => json(200, view)) });
}

function answered(text: string) {
  return { text, submitted_at: "2026-05-03T10:05:00Z", evaluation: null };
}

describe("InterviewRoom", () => {
  test("one question at a time, with its kind and skill, and a word count", async () => {
    const { user } = openRoom();

    expect(await screen.findByRole("heading", { name: "Question 1 of 10" })).toBeVisible();
    expect(screen.getByText("Question number 1: tell me about it.")).toBeVisible();
    const about = screen.getByRole("list", { name: "About this question" });
    expect(within(about).getByText("Technical")).toBeVisible();
    expect(within(about).getByText("PostgreSQL")).toBeVisible();
    expect(screen.queryByText("Question number 2: tell me about it.")).not.toBeInTheDocument();

    const box = screen.getByLabelText("Your answer");
    expect(box).toHaveAccessibleDescription("0 words");
    await user.type(box, "I tuned   the slow query\nwith an index");
    expect(box).toHaveAccessibleDescription("8 words");
  });

  test("submit sends the answer; the evaluation appears when the stream brings it", async () => {
    const before = sessionView({ questions: questions() });
    const { gateway, user } = renderApp(PATH, {
      routes: (g) =>
        g
          .on("GET", "/v1/sessions/:id", () => json(200, before))
          .on("POST", "/v1/sessions/:id/answers", () =>
            json(
              202,
              sessionView({
                status: "in_progress",
                questions: [
                  question(1, { answer: answered("I added an index.") }),
                  ...questions().slice(1),
                ],
              }),
            ),
          ),
    });

    await user.type(await screen.findByLabelText("Your answer"), "I added an index.");
    await user.click(screen.getByRole("button", { name: "Submit answer" }));

    expect(await screen.findByText(/Scoring your answer…/)).toBeVisible();
    expect(screen.getByText("I added an index.")).toBeVisible();
    const [sent] = gateway.calls("POST", `/v1/sessions/${SESSION_ID}/answers`);
    expect(sent?.json).toEqual({ question_id: "q-1", text: "I added an index." });
    expect(sent?.headers.get("X-CSRF-Token")).toBe(CSRF_TOKEN);
    // Focus goes to the answer just given, so a screen reader hears what happened.
    expect(screen.getByRole("heading", { name: "Your answer" })).toHaveFocus();

    await FakeEventSource.latest(STREAM).send(
      "session",
      sessionView({
        status: "in_progress",
        questions: [
          question(1, { answer: { ...answered("I added an index."), evaluation: evaluation() } }),
          ...questions().slice(1),
        ],
      }),
    );

    const feedback = await screen.findByRole("region", { name: "Feedback" });
    expect(within(feedback).getByText("7")).toBeVisible();
    expect(within(feedback).getByText("AI")).toBeVisible();
    const rubric = within(feedback).getByRole("list", { name: "Rubric" });
    expect(
      within(rubric)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Relevance8 out of  / 10",
      "Depth6 out of  / 10",
      "Structure7 out of  / 10",
      "Specificity5 out of  / 10",
    ]);
    expect(within(feedback).getByText("A clear answer with one concrete example.")).toBeVisible();
    expect(within(feedback).getByText("Named the trade-off")).toBeVisible();
    expect(within(feedback).getByText("Say what you measured")).toBeVisible();
    expect(within(feedback).getByText("What a strong answer would cover")).toBeVisible();
  });

  test("an automatic estimate is labelled so, with the reason and the checks' own flags", async () => {
    openRoom(
      sessionView({
        status: "in_progress",
        notices: [FALLBACK_EVALUATION_NOTICE],
        questions: [
          question(1, {
            answer: {
              ...answered("Short."),
              evaluation: evaluation({
                source: "fallback",
                flags: [
                  {
                    code: "score_capped",
                    message:
                      "The score was lowered from 9 to 4: the answer is too short to support it.",
                  },
                ],
              }),
            },
          }),
          ...questions().slice(1),
        ],
      }),
      `${PATH}?question=1`,
    );

    const feedback = await screen.findByRole("region", { name: "Feedback" });
    expect(within(feedback).getByText("Automatic estimate")).toBeVisible();
    expect(within(feedback).queryByText("AI")).not.toBeInTheDocument();
    expect(
      within(feedback).getByText(
        "The AI took too long to answer; your answer was scored automatically.",
      ),
    ).toBeVisible();
    expect(within(feedback).getByText(/The score was lowered from 9 to 4/)).toBeVisible();
  });

  test("text from people and models is shown as text and runs nothing", async () => {
    const hostile = '<img src="x" onerror="window.pwned=1"><script>window.pwned=2</script>';
    openRoom(
      sessionView({
        status: "in_progress",
        target_role: `<b>${hostile}</b>`,
        questions: [
          question(1, {
            text: hostile,
            answer: {
              ...answered(hostile),
              evaluation: evaluation({ feedback: hostile, strengths: [hostile] }),
            },
          }),
        ],
      }),
      `${PATH}?question=1`,
    );

    const feedback = await screen.findByRole("region", { name: "Feedback" });
    expect(within(feedback).getAllByText(hostile)).toHaveLength(2);
    expect(screen.getAllByText(hostile).length).toBeGreaterThanOrEqual(4);
    expect(document.querySelector("main img, main script, main b")).toBeNull();
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  test("questions still being written arrive while the candidate answers", async () => {
    // The model writes in batches: answering has begun while nine questions are to come.
    const { user } = openRoom(
      sessionView({
        status: "in_progress",
        questions: [question(1, { answer: { ...answered("Done."), evaluation: evaluation() } })],
      }),
    );

    expect(await screen.findByRole("heading", { name: "Question 1 of 10" })).toBeVisible();
    expect(screen.getByText("The next question is being written…")).toBeVisible();
    expect(screen.getByRole("navigation", { name: "Questions" })).toHaveTextContent(/2/);
    expect(screen.getByText("Question 2, being written")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Next question" })).not.toBeInTheDocument();

    await FakeEventSource.latest(STREAM).send(
      "session",
      sessionView({
        status: "in_progress",
        questions: [
          question(1, { answer: { ...answered("Done."), evaluation: evaluation() } }),
          question(2),
        ],
      }),
    );
    await screen.findByRole("button", { name: "Question 2, not answered" });
    await user.click(await screen.findByRole("button", { name: "Next question" }));

    const heading = await screen.findByRole("heading", { name: "Question 2 of 10" });
    expect(heading).toHaveFocus();
    expect(screen.getByText("Question number 2: tell me about it.")).toBeVisible();
    expect(
      within(screen.getByRole("list", { name: "About this question" })).getByText("Behavioral"),
    ).toBeVisible();
  });

  test("the question list moves between questions and says where each stands", async () => {
    const { user } = openRoom(sessionView({ status: "in_progress", questions: questions(2) }));

    const nav = await screen.findByRole("navigation", { name: "Questions" });
    expect(
      within(nav).getByRole("button", { name: "Question 1, answered, scored 7 out of 10" }),
    ).toBeVisible();
    const third = within(nav).getByRole("button", { name: "Question 3, not answered" });
    // The room opens on the first question not answered yet.
    expect(third).toHaveAttribute("aria-current", "step");

    await user.click(within(nav).getByRole("button", { name: /^Question 1,/ }));
    expect(await screen.findByRole("heading", { name: "Question 1 of 10" })).toHaveFocus();
    expect(screen.getByText("My answer to 1")).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Next question" }));
    expect(await screen.findByRole("heading", { name: "Question 2 of 10" })).toBeVisible();
  });

  test("the optional timer counts down and says when time is up, without submitting", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { gateway, user } = openRoom();

    await user.click(await screen.findByRole("checkbox", { name: "Timer (3 min)" }));
    expect(screen.getByRole("timer", { name: "Time left for this question" })).toHaveTextContent(
      "3:00",
    );
    await act(() => vi.advanceTimersByTimeAsync(125_000));
    expect(screen.getByRole("timer")).toHaveTextContent("0:55");
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(screen.getByRole("timer")).toHaveTextContent("0:00");
    expect(screen.getByText("Time is up: finish your thought.")).toBeVisible();
    expect(gateway.calls("POST", `/v1/sessions/${SESSION_ID}/answers`)).toHaveLength(0);
  });

  test("with every question answered, the report is one click away", async () => {
    openRoom(
      sessionView({ status: "in_progress", questions: questions(10, false) }),
      `${PATH}?question=10`,
    );
    expect(await screen.findByRole("link", { name: "See your report" })).toHaveAttribute(
      "href",
      `/interviews/${SESSION_ID}/report`,
    );
  });

  test("an answer the server refuses is explained, and the text is kept", async () => {
    const { user } = renderApp(PATH, {
      routes: (g) =>
        g
          .on("GET", "/v1/sessions/:id", () => json(200, sessionView({ questions: questions() })))
          .on("POST", "/v1/sessions/:id/answers", () =>
            problem(422, "invalid-request", "text: must not contain control characters"),
          ),
    });

    await user.type(await screen.findByLabelText("Your answer"), "My answer");
    await user.click(screen.getByRole("button", { name: "Submit answer" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Text: must not contain control characters.",
    );
    expect(screen.getByLabelText("Your answer")).toHaveValue("My answer");
  });

  test("when the gateway ends the stream as expired, a new one is opened", async () => {
    openRoom();
    await screen.findByRole("heading", { name: "Question 1 of 10" });
    const first = FakeEventSource.latest(STREAM);
    await first.send("expired", { detail: "the token has expired" });
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    expect(FakeEventSource.latest(STREAM)).not.toBe(first);
  });

  test("it says which answers are being scored and the AI's pace, until none is", async () => {
    const scored = evaluation();
    const at = "2026-05-03T10:06:00Z";
    openRoom(
      sessionView({
        status: "in_progress",
        questions: [
          question(1, { answer: { ...answered("One."), evaluation: scored } }),
          question(2, { answer: answered("Two.") }),
          question(3, { answer: answered("Three.") }),
          ...questions().slice(3),
        ],
        scoring: [2, 3],
        activity: [{ stage: "evaluation", message: "Scoring answers 2 and 3" }],
        model_speed: [
          {
            stage: "evaluation",
            prompt_tokens_per_s: 61.2,
            output_tokens_per_s: 14.8,
            measured_at: at,
          },
        ],
      }),
    );

    const status = await screen.findByText(/^Scoring answers 2 and 3…/);
    expect(status).toHaveRole("status");
    expect(status).toHaveTextContent(
      "Scoring answers 2 and 3… On the last answer it scored, the AI read 61 and wrote 15 tokens a second.",
    );

    await FakeEventSource.latest(STREAM).send(
      "session",
      sessionView({
        status: "in_progress",
        questions: [
          question(1, { answer: { ...answered("One."), evaluation: scored } }),
          question(2, { answer: { ...answered("Two."), evaluation: scored } }),
          question(3, { answer: { ...answered("Three."), evaluation: scored } }),
          ...questions().slice(3),
        ],
        scoring: [],
        activity: [],
      }),
    );
    expect(screen.queryByText(/Scoring answers/)).not.toBeInTheDocument();
  });
});
