/**
 * Text from people is text: a job description, a target role and an answer carrying a
 * <script> and an <img onerror> are shown as those characters, and nothing in them runs
 * (no dialog opens, the marker they would set stays unset, the image's address is never asked
 * for). The page guard also fails the test on any script the Content-Security-Policy refused.
 */
import type { Request } from "@playwright/test";
import {
  answerFor,
  awaitFeedback,
  fillNewInterview,
  questionCard,
  startInterview,
  uniqueRole,
} from "./candidate";
import { expect, test } from "./fixtures";

/** Would set window.pwned, open a dialog and load /pwned.png, if it ever ran or rendered. */
const PAYLOAD =
  `<script>window.pwned = "script"; alert("script")</script>` +
  `<img src="/pwned.png" onerror="window.pwned = 'img'; alert('img')">`;

test("markup in a job description, a role and an answer is shown as text and runs nothing", async ({
  page,
  model,
  checkScreen,
}) => {
  test.setTimeout(180_000);
  const asked: string[] = [];
  page.on("request", (request: Request) => asked.push(new URL(request.url()).pathname));
  await model("down");

  const role = `${uniqueRole("markup")} ${PAYLOAD}`;
  const jobDescription = `We need Python and PostgreSQL. ${PAYLOAD}`;
  await fillNewInterview(page, { role, jobDescription });
  await expect(page.getByLabel("Job description")).toHaveValue(jobDescription);
  await startInterview(page);
  await expect(page.getByText(role)).toBeVisible();

  await page.getByRole("link", { name: "Start the interview" }).click();
  const first = questionCard(page, 1);
  await expect(first).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `Interview ${role}` })).toBeVisible();

  const answer = `${answerFor(1)} ${PAYLOAD}`;
  await first.getByLabel("Your answer").fill(answer);
  await first.getByRole("button", { name: "Submit answer" }).click();
  await awaitFeedback(first);
  await expect(first.getByText(answer)).toBeVisible();
  await checkScreen("markup-as-text");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "History" })
    .click();
  await expect(page.getByRole("heading", { level: 2, name: role })).toBeVisible();

  expect(await page.evaluate(() => (window as { pwned?: string }).pwned)).toBeUndefined();
  expect(asked).not.toContain("/pwned.png");
});
