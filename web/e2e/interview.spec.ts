/**
 * A whole interview in the browser against the running system: with the model down (every
 * stage falls back and the screens say why in plain words, every score an "automatic
 * estimate"), then with the fake model healthy (every part labelled "AI"). The first one goes
 * on to the report's skill match, the history and deleting the interview, after a confirmation.
 */
import {
  answerEveryQuestion,
  fillNewInterview,
  interviewId,
  PIPELINE_TIMEOUT_MS,
  questionCard,
  startInterview,
  uniqueRole,
} from "./candidate";
import { expect, test } from "./fixtures";

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test.describe.configure({ timeout: 300_000 });

test("with the model down: the fallbacks said in plain words, the report, the history, delete", async ({
  page,
  model,
  checkScreen,
}) => {
  await model("down");
  const role = uniqueRole("model down");
  await fillNewInterview(page, { role });
  await checkScreen("new-interview");
  await startInterview(page);

  // The preparing screen says what happened and what it means, and offers the AI again, in
  // plain words: the model server's own error text stays in the logs.
  await expect(
    page.getByText(
      "The AI model reported an error; your resume was read with the basic parser, which finds fewer details.",
    ),
  ).toBeVisible();
  await expect(page.getByText(/^Your resume was read without the AI/)).toBeVisible();
  await expect(
    page.getByText("The AI model reported an error; default questions were used.", {
      exact: true,
    }),
  ).toBeVisible();
  await expect(page.getByText(/runner|HTTP 500/)).toHaveCount(0);
  await expect(page.getByText(/^These are standard questions for the role/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Try the AI again" })).toBeVisible();
  await expect(
    page.getByRole("status").filter({ hasText: "All 10 questions are ready." }),
  ).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
  await checkScreen("preparing");
  const id = interviewId(page.url());

  await page.getByRole("link", { name: "Start the interview" }).click();
  const first = questionCard(page, 1);
  await expect(first).toBeVisible();
  await expect(first.getByRole("list", { name: "About this question" })).toBeVisible();
  await expect(first.getByText("0 words")).toBeVisible();
  await checkScreen("interview-room");

  await answerEveryQuestion(page, async (feedback, position) => {
    await expect(feedback.getByText("Automatic estimate", { exact: true })).toBeVisible();
    await expect(feedback.getByText("AI", { exact: true })).toHaveCount(0);
    await expect(feedback.getByRole("list", { name: "Rubric" }).getByRole("listitem")).toHaveCount(
      4,
    );
    if (position === 1) await checkScreen("interview-room-feedback");
  });

  // The report: the overall score, by kind, the skill match, every part an automatic estimate.
  const overview = page.getByRole("region", { name: "Overall score" });
  await expect(overview.getByText("Automatic estimate", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Score by kind of question" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^Skill match: \d+%$/ })).toBeVisible();
  await expect(
    page.getByRole("list", { name: "Matched skills" }).getByRole("listitem"),
  ).not.toHaveCount(0);
  await expect(page.getByRole("list", { name: "Missing skills" })).toBeVisible();
  await checkScreen("report");

  // The history lists it, with its score on the chart.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "History" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Your interviews" })).toBeVisible();
  const open = page.getByRole("link", { name: new RegExp(`^Open ${escaped(role)}, `) });
  await expect(open).toBeVisible();
  await expect(page.getByRole("img", { name: /^Overall score/ })).toBeVisible();
  await checkScreen("history");

  // Delete asks first; "Keep it" keeps it, "Delete for good" erases it.
  const remove = page.getByRole("button", { name: new RegExp(`^Delete ${escaped(role)}, `) });
  await remove.click();
  const question = page.getByRole("group", {
    name: new RegExp(`^Delete the interview for ${escaped(role)}`),
  });
  await expect(question).toBeVisible();
  await checkScreen("history-delete");
  await question.getByRole("button", { name: "Keep it" }).click();
  await expect(question).toHaveCount(0);
  await expect(open).toBeVisible();
  await remove.click();
  await question.getByRole("button", { name: "Delete for good" }).click();
  await expect(open).toHaveCount(0);

  // Gone from the server too, not only from the list.
  await page.goto(`/interviews/${id}/report`);
  await expect(
    page.getByRole("heading", { level: 1, name: "Interview not available" }),
  ).toBeVisible();
  await checkScreen("interview-not-available");
});

test("with the model healthy: every question, score and the report labelled AI", async ({
  page,
  model,
  checkScreen,
}) => {
  await model("healthy");
  await fillNewInterview(page, { role: uniqueRole("model healthy") });
  await startInterview(page);
  await expect(
    page.getByRole("status").filter({ hasText: "All 10 questions are ready." }),
  ).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
  await expect(page.getByRole("button", { name: "Try the AI again" })).toHaveCount(0);
  await expect(page.getByText(/^The AI (model|service)/)).toHaveCount(0);

  await page.getByRole("link", { name: "Start the interview" }).click();
  await answerEveryQuestion(page, async (feedback, position) => {
    await expect(feedback.getByText("AI", { exact: true })).toBeVisible();
    await expect(feedback.getByText("Automatic estimate", { exact: true })).toHaveCount(0);
    if (position === 1) await checkScreen("interview-room-feedback-ai");
  });

  const overview = page.getByRole("region", { name: "Overall score" });
  await expect(overview.getByText("AI", { exact: true })).toBeVisible();
  await expect(page.getByText("Automatic estimate", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Summary" })).toBeVisible();
  await checkScreen("report-ai");
});
