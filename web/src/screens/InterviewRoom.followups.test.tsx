import { screen, within } from "@testing-library/react";
import type { QuestionView, SessionView } from "../api/sessions";
import { evaluation, question, questions, SESSION_ID, sessionView } from "../test/fixtures";
import { json } from "../test/gateway";
import { renderApp } from "../test/render";

const PATH = `/interviews/${SESSION_ID}/room`;
const FOLLOWUP_TEXT = 'You said "rolling update". Where do readiness probes fit in?';

function answered(text: string, scored = true) {
  return {
    text,
    submitted_at: "2026-05-03T10:05:00Z",
    evaluation: scored ? evaluation({ score: 3 }) : null,
  };
}

function followup(overrides: Partial<QuestionView> = {}): QuestionView {
  return question(1, {
    id: "f-1",
    text: FOLLOWUP_TEXT,
    source: "fallback",
    parent_id: "q-1",
    ...overrides,
  });
}

/** Question 1 answered thinly and followed up; question 2 answered; the rest open. */
function withFollowup(extra: Partial<SessionView> = {}, follow = followup()): SessionView {
  return sessionView({
    status: "in_progress",
    questions: [
      question(1, { answer: answered("A rolling update.") }),
      follow,
      question(2, { answer: answered("Something.") }),
      ...questions().slice(2),
    ],
    progress: { answered: 2, evaluated: 2, total: 11, written: 11, followups: 1, skipped: 0 },
    ...extra,
  });
}

function openRoom(view: SessionView, path = PATH) {
  return renderApp(path, { routes: (g) => g.on("GET", "/v1/sessions/:id", () => json(200, view)) });
}

describe("InterviewRoom follow-ups", () => {
  test("the room opens at the follow-up waiting, under its question, as the next thing to answer", async () => {
    openRoom(withFollowup());

    expect(await screen.findByRole("heading", { name: "Question 1 of 10" })).toBeVisible();
    const asked = screen.getByRole("region", { name: "Follow-up to question 1" });
    expect(within(asked).getByText(FOLLOWUP_TEXT)).toBeVisible();
    expect(within(asked).getByLabelText("Your answer to the follow-up")).toBeVisible();
    expect(within(asked).getByRole("button", { name: "Skip follow-up" })).toBeEnabled();
    // The list of questions says a follow-up waits, and counts only the set's ten.
    const nav = screen.getByRole("navigation", { name: "Questions" });
    expect(
      within(nav).getByRole("button", {
        name: "Question 1, answered, scored 3 out of 10, a follow-up waits for your answer",
      }),
    ).toBeVisible();
    expect(within(nav).getAllByRole("button")).toHaveLength(10);
  });

  test("answering the follow-up sends it as an answer to the follow-up's own id", async () => {
    const before = withFollowup();
    const after = withFollowup(
      {},
      followup({ answer: { ...answered("Probes keep traffic off.", false) } }),
    );
    const { gateway, user } = renderApp(PATH, {
      routes: (g) =>
        g
          .on("GET", "/v1/sessions/:id", () => json(200, before))
          .on("POST", "/v1/sessions/:id/answers", () => json(202, after)),
    });
    const asked = await screen.findByRole("region", { name: "Follow-up to question 1" });
    await user.type(
      within(asked).getByLabelText("Your answer to the follow-up"),
      "Probes keep traffic off.",
    );
    await user.click(within(asked).getByRole("button", { name: "Submit follow-up answer" }));

    expect(await within(asked).findByText(/Scoring your answer to the follow-up/)).toBeVisible();
    const [sent] = gateway.calls("POST", `/v1/sessions/${SESSION_ID}/answers`);
    expect(sent?.json).toEqual({ question_id: "f-1", text: "Probes keep traffic off." });
  });

  test("skip records the skip and says it is not scored", async () => {
    const before = withFollowup();
    const after = withFollowup(
      { progress: { answered: 2, evaluated: 2, total: 11, written: 11, followups: 1, skipped: 1 } },
      followup({ skipped: true }),
    );
    const { gateway, user } = renderApp(PATH, {
      routes: (g) =>
        g
          .on("GET", "/v1/sessions/:id", () => json(200, before))
          .on("POST", "/v1/sessions/:id/questions/:qid/skip", () => json(200, after)),
    });
    const asked = await screen.findByRole("region", { name: "Follow-up to question 1" });
    await user.click(within(asked).getByRole("button", { name: "Skip follow-up" }));

    expect(
      await within(asked).findByText("You skipped this follow-up. It is not scored."),
    ).toBeVisible();
    expect(within(asked).queryByLabelText("Your answer to the follow-up")).not.toBeInTheDocument();
    expect(gateway.calls("POST", `/v1/sessions/${SESSION_ID}/questions/f-1/skip`)).toHaveLength(1);
  });

  test("while the follow-up is written, the question says so", async () => {
    openRoom(
      sessionView({
        status: "in_progress",
        questions: [
          question(1, { answer: answered("A rolling update.") }),
          ...questions().slice(1),
        ],
        progress: { answered: 1, evaluated: 1, total: 11, written: 10, followups: 1, skipped: 0 },
        followups_writing: [1],
      }),
      `${PATH}?question=1`,
    );
    expect(
      await screen.findByText(/The interviewer is writing a follow-up question on your answer/),
    ).toBeVisible();
    expect(
      screen.queryByRole("region", { name: "Follow-up to question 1" }),
    ).not.toBeInTheDocument();
  });

  test("from another question, the follow-up waiting is offered before the next question", async () => {
    const { user } = openRoom(withFollowup(), `${PATH}?question=2`);
    const go = await screen.findByRole("button", { name: "Answer the follow-up to question 1" });
    expect(screen.queryByRole("button", { name: "Next question" })).not.toBeInTheDocument();
    await user.click(go);
    expect(await screen.findByRole("region", { name: "Follow-up to question 1" })).toBeVisible();
  });
  test("once everything is answered, every question offers the report", async () => {
    const done = sessionView({
      status: "in_progress",
      questions: [
        ...questions().map((q) => ({ ...q, answer: answered("An answer.") })),
        followup({ answer: answered("Probes gate the traffic.") }),
      ],
      progress: { answered: 11, evaluated: 11, total: 11, written: 11, followups: 1, skipped: 0 },
    });
    openRoom(done, `${PATH}?question=1`);
    expect(await screen.findByRole("link", { name: "See your report" })).toHaveAttribute(
      "href",
      `/interviews/${SESSION_ID}/report`,
    );
    expect(screen.queryByRole("button", { name: "Next question" })).not.toBeInTheDocument();
  });
});
