/**
 * The README's picture of the interview room (docs/images/interview-room.png): the standard
 * questions of a model that was down, then an answer scored by the AI once it is back. Runs only
 * when asked for (the "readme" project exists when CAREERFLOW_README_PICTURE is set):
 *
 *   CAREERFLOW_README_PICTURE=1 CAREERFLOW_PLAYWRIGHT_ARGS="--project=readme" make test-browser
 *
 * The fallback picks its questions at random: the first one this file has a fitting answer for
 * is answered (in a new interview if none is).
 */
import { join } from "node:path";
import {
  awaitFeedback,
  fillNewInterview,
  questionCard,
  startInterview,
  TOTAL_QUESTIONS,
} from "./candidate";
import { expect, test } from "./fixtures";

const PICTURE = join(import.meta.dirname, "..", "..", "docs", "images", "interview-room.png");

const ANSWERS: [RegExp, string][] = [
  [
    /CrashLoopBackOff/,
    "First kubectl describe pod, for the exit code and the events, then kubectl logs --previous " +
      "for the crashed container's last words. Last time it was exit code 137: the container was " +
      "OOM-killed because its memory limit was below what it took at start. I raised the limit " +
      "and added an alert on restarts, so we hear of it before users do.",
  ],
  [
    /without dropping requests/,
    "A rolling update with maxUnavailable 0 and maxSurge 1, so a new pod must be ready before an " +
      "old one goes. The readiness probe checks the database connection, not just the port, and " +
      "a preStop sleep of a few seconds lets the load balancer stop sending traffic before the " +
      "pod gets SIGTERM. We watched the 5xx rate during rollouts: it stayed at zero.",
  ],
  [
    /Dockerfile/,
    "I start from a slim base image and build in two stages: the dependencies are installed from " +
      "the lock file in a builder stage, so that layer stays cached until the lock changes, and " +
      "only the app is copied into the final image. It runs as a non-root user and is scanned in CI.",
  ],
];

test("the interview room, for the README", async ({ page, model }) => {
  test.setTimeout(300_000);
  for (let attempt = 0; attempt < 5; attempt++) {
    await model("down");
    await fillNewInterview(page, { role: "Senior Backend Engineer" });
    await startInterview(page);
    await model("healthy");
    await page.getByRole("link", { name: "Start the interview" }).click();
    for (let position = 1; position <= TOTAL_QUESTIONS; position++) {
      if (position > 1) {
        await page
          .getByRole("navigation", { name: "Questions" })
          .getByRole("button", { name: `Question ${position}, not answered` })
          .click();
      }
      const card = questionCard(page, position);
      await expect(card).toBeVisible();
      const text = (await card.textContent()) ?? "";
      const answer = ANSWERS.find(([question]) => question.test(text))?.[1];
      if (!answer) continue;
      await card.getByLabel("Your answer").fill(answer);
      await card.getByRole("button", { name: "Submit answer" }).click();
      await awaitFeedback(card);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: PICTURE });
      return;
    }
  }
  throw new Error("no question with a prepared answer");
});
