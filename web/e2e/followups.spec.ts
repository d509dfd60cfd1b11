/**
 * An interviewer that listens, in the browser against the running system with the fake model
 * healthy: a thin answer gets a follow-up under its question, written by the AI from what the
 * answer left out; the candidate answers one follow-up and skips another; a strong answer gets
 * none; the report lists the follow-ups asked, the skipped one as not scored.
 */
import {
  answerFor,
  answerTheFollowups,
  FOLLOWUP_ANSWER,
  fillNewInterview,
  followupRegion,
  goToQuestion,
  PIPELINE_TIMEOUT_MS,
  questionCard,
  startInterview,
  uniqueRole,
} from "./candidate";
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 300_000 });

const THIN = "I would look at it.";

test("thin answers are followed up: one answered, one skipped, and the report says so", async ({
  page,
  model,
  checkScreen,
}) => {
  await model("healthy");
  await fillNewInterview(page, { role: uniqueRole("follow-ups") });
  await startInterview(page);
  await page.getByRole("link", { name: "Start the interview" }).click();

  // Question 1, thin: scored, then followed up under it by the AI.
  const first = questionCard(page, 1);
  await first.getByLabel("Your answer", { exact: true }).fill(THIN);
  await first.getByRole("button", { name: "Submit answer" }).click();
  const asked = followupRegion(first, 1);
  await expect(asked).toBeVisible({ timeout: PIPELINE_TIMEOUT_MS });
  await expect(asked.getByText(/^You kept it short\. How does .+ come into it/)).toBeVisible();
  await expect(asked.getByRole("button", { name: "Skip follow-up" })).toBeVisible();
  await checkScreen("interview-room-followup");
  await asked.getByLabel("Your answer to the follow-up").fill(FOLLOWUP_ANSWER);
  await asked.getByRole("button", { name: "Submit follow-up answer" }).click();
  await expect(asked.getByRole("region", { name: "Feedback on the follow-up" })).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });

  // Question 2, thin too: its follow-up is skipped, recorded as such.
  await goToQuestion(page, 2);
  const second = questionCard(page, 2);
  await second.getByLabel("Your answer", { exact: true }).fill(THIN);
  await second.getByRole("button", { name: "Submit answer" }).click();
  const skipped = followupRegion(second, 2);
  await skipped
    .getByRole("button", { name: "Skip follow-up" })
    .click({ timeout: PIPELINE_TIMEOUT_MS });
  await expect(skipped.getByText("You skipped this follow-up. It is not scored.")).toBeVisible();

  // Question 3, a strong answer: the model scores it well, and no follow-up comes.
  await goToQuestion(page, 3);
  const third = questionCard(page, 3);
  await third.getByLabel("Your answer", { exact: true }).fill(answerFor(3));
  await third.getByRole("button", { name: "Submit answer" }).click();
  await expect(third.getByRole("region", { name: "Feedback", exact: true })).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });

  for (let position = 4; position <= 10; position++) {
    await goToQuestion(page, position);
    const card = questionCard(page, position);
    await card.getByLabel("Your answer", { exact: true }).fill(answerFor(position));
    await card.getByRole("button", { name: "Submit answer" }).click();
    await expect(card.getByText(answerFor(position))).toBeVisible();
  }
  await answerTheFollowups(page);
  await expect(followupRegion(third, 3)).toHaveCount(0);
  await page.getByRole("link", { name: "See your report" }).click();

  const questionsSection = page.getByRole("region", { name: "Question by question" });
  await expect(questionsSection.getByText(/^The interviewer asked 2 follow-ups\./)).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
  await expect(questionsSection.getByText(/^Follow-up: You kept it short/)).toHaveCount(2);
  await expect(questionsSection.getByText("Skipped (not scored)")).toHaveCount(1);
  await checkScreen("report-followups");
});
