/**
 * Every screen at phone width (375 px, touch): the new interview, preparing, the interview room
 * with its feedback, the report, the history and the account, signed in; sign-in and sign-up,
 * signed out. Each one passes axe-core, scrolls only up and down, and is photographed.
 */
import {
  answerFor,
  answerTheRestThroughTheApi,
  awaitFeedback,
  fillNewInterview,
  interviewId,
  PIPELINE_TIMEOUT_MS,
  questionCard,
  startInterview,
  uniqueRole,
} from "./candidate";
import { expect, test } from "./fixtures";

test("an interview's screens on a phone", async ({ page, model, checkScreen }) => {
  test.setTimeout(180_000);
  await model("down");
  await fillNewInterview(page, { role: uniqueRole("phone") });
  await checkScreen("new-interview");
  await startInterview(page);
  await expect(
    page.getByRole("status").filter({ hasText: "All 10 questions are ready." }),
  ).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
  await checkScreen("preparing");
  const id = interviewId(page.url());

  await page.getByRole("link", { name: "Start the interview" }).tap();
  const first = questionCard(page, 1);
  await expect(first).toBeVisible();
  await checkScreen("interview-room");
  await first.getByLabel("Your answer").fill(answerFor(1));
  await first.getByRole("button", { name: "Submit answer" }).tap();
  await awaitFeedback(first);
  await checkScreen("interview-room-feedback");

  await answerTheRestThroughTheApi(page, id);
  await page.goto(`/interviews/${id}/report`);
  await expect(page.getByRole("heading", { level: 1, name: "Your interview report" })).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
  await checkScreen("report");

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "History" }).tap();
  await expect(page.getByRole("heading", { level: 1, name: "Your interviews" })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Overall score/ })).toBeVisible();
  await checkScreen("history");

  await nav.getByRole("link", { name: "Account" }).tap();
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await checkScreen("account");
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign-in, sign-up and an unknown address on a phone", async ({ page, checkScreen }) => {
    await page.goto("/signin");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await checkScreen("sign-in");
    await page.getByRole("link", { name: "Create an account" }).tap();
    await expect(
      page.getByRole("heading", { level: 1, name: "Create your account" }),
    ).toBeVisible();
    await checkScreen("sign-up");
    await page.goto("/no-such-screen");
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await checkScreen("not-found");
  });
});
