import { screen, within } from "@testing-library/react";
import { questions, report, SESSION_ID, sessionView } from "../test/fixtures";
import { FakeEventSource, json } from "../test/gateway";
import { renderApp } from "../test/render";

const PATH = `/interviews/${SESSION_ID}/report`;

function openReport(
  view = sessionView({ status: "completed", questions: questions(10), report: report() }),
) {
  return renderApp(PATH, { routes: (g) => g.on("GET", "/v1/sessions/:id", () => json(200, view)) });
}

describe("Report", () => {
  test("overall score, by kind, skill match, strengths and improvements", async () => {
    openReport();

    const overall = await screen.findByRole("region", { name: "Overall score" });
    expect(overall).toHaveTextContent("72 out of 100");
    expect(within(overall).getByText("AI")).toBeVisible();
    const byKind = screen.getByRole("list", { name: "Score by kind of question" });
    expect(
      within(byKind)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Technical80 out of  / 100", "Behavioral65 out of  / 100"]);
    expect(screen.getByRole("heading", { name: "Skill match: 67%" })).toBeVisible();
    const matched = screen.getByRole("list", { name: "Matched skills" });
    expect(
      within(matched)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Python", "PostgreSQL"]);
    expect(
      within(screen.getByRole("list", { name: "Missing skills" })).getByText("Kubernetes"),
    ).toBeVisible();
    const summary = screen.getByRole("region", { name: "Summary" });
    expect(within(summary).getByText("Clear structure")).toBeVisible();
    expect(within(summary).getByText("Quantify results")).toBeVisible();
    expect(screen.getByRole("region", { name: "Question by question" })).toHaveTextContent(
      "Question number 10: tell me about it.",
    );
  });

  test("a report written without the AI says so", async () => {
    openReport(
      sessionView({
        status: "completed",
        questions: questions(10),
        report: report({ source: "fallback" }),
        notices: [
          {
            level: "warning",
            stage: "report",
            code: "ai_breaker_open",
            message:
              "The AI is resting after repeated failures; the report was written automatically.",
          },
        ],
      }),
    );
    const overall = await screen.findByRole("region", { name: "Overall score" });
    expect(within(overall).getByText("Automatic estimate")).toBeVisible();
    expect(
      within(overall).getByText(
        "The AI is resting after repeated failures; the report was written automatically.",
      ),
    ).toBeVisible();
  });

  test("print or save as PDF uses the browser's print", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    const { user } = openReport();
    await user.click(await screen.findByRole("button", { name: "Print or save as PDF" }));
    expect(print).toHaveBeenCalledOnce();
  });

  test("until the report exists it shows the scoring's progress, and then the report", async () => {
    openReport(
      sessionView({
        status: "in_progress",
        questions: questions(10, false),
        scoring: [9, 10],
        activity: [{ stage: "evaluation", message: "Scoring answers 9 and 10" }],
      }),
    );

    expect(await screen.findByRole("heading", { name: "Your report is on its way" })).toBeVisible();
    expect(screen.getByText("Scoring your answers: 0 of 10 done.")).toBeVisible();
    expect(screen.getByText("Scoring answers 9 and 10…")).toBeVisible();

    await FakeEventSource.latest(`/v1/sessions/${SESSION_ID}/events`).send(
      "session",
      sessionView({ status: "completed", questions: questions(10), report: report() }),
    );
    expect(
      await screen.findByRole("heading", { level: 1, name: "Your interview report" }),
    ).toBeVisible();
  });

  test("the numbers show as soon as they exist; the words follow when written", async () => {
    const { by_kind, skill_match } = report();
    openReport(
      sessionView({
        status: "in_progress",
        questions: questions(10),
        report_numbers: { overall_score: 72.4, by_kind, skill_match },
        report_narrative: { status: "pending", expected_by: "2026-05-03T10:30:00Z" },
      }),
    );

    const overall = await screen.findByRole("region", { name: "Overall score" });
    expect(overall).toHaveTextContent("72 out of 100");
    const summary = screen.getByRole("region", { name: "Summary" });
    expect(within(summary).getByRole("status")).toHaveTextContent(
      /The summary, strengths and improvements are being written, at the latest by/,
    );

    await FakeEventSource.latest(`/v1/sessions/${SESSION_ID}/events`).send(
      "session",
      sessionView({ status: "completed", questions: questions(10), report: report() }),
    );
    expect(await within(summary).findByText("Clear structure")).toBeVisible();
    expect(
      within(screen.getByRole("region", { name: "Overall score" })).getByText("AI"),
    ).toBeVisible();
  });

  test("unanswered questions lead back to the interview", async () => {
    openReport(sessionView({ status: "in_progress", questions: questions(4) }));
    expect(await screen.findByText("6 questions are still unanswered.")).toBeVisible();
    expect(screen.getByRole("link", { name: "Back to the interview" })).toHaveAttribute(
      "href",
      `/interviews/${SESSION_ID}/room`,
    );
  });
});
