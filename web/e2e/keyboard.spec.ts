/**
 * The keyboard alone, no mouse: the skip link, the new-interview form (the sample, the resume's
 * file picker, the role), the preparing screen and the interview room (the timer, an answer, its
 * feedback, the next question, the list of questions). Focus is moved with Tab and each control
 * used with Enter or Space, as a person without a pointer does.
 */
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { awaitFeedback, PIPELINE_TIMEOUT_MS, questionCard, uniqueRole } from "./candidate";
import { expect, test } from "./fixtures";

const SAMPLE_DOCX = join(import.meta.dirname, "..", "..", "samples", "resume.docx");

/** Most Tab presses any control here may need: the page has fewer focusable things than this. */
const MAX_TABS = 40;

/** Press Tab until `target` has the focus; fail if it never gets it. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let presses = 0; presses < MAX_TABS; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `reachable with Tab within ${MAX_TABS} presses`).toBeFocused();
}

test("start an interview and answer with the keyboard alone", async ({ page, model }) => {
  test.setTimeout(180_000);
  await model("down");
  await page.goto("/interviews/new");
  await expect(
    page.getByRole("heading", { level: 1, name: "Start a new interview" }),
  ).toBeVisible();

  // The first Tab reaches the skip link.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();

  // The sample, by keyboard.
  await tabTo(page, page.getByRole("button", { name: "Use the sample" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("sample-resume.pdf")).toBeVisible();

  // The resume field opens the file picker from the keyboard; the file chosen there is shown.
  await tabTo(page, page.getByLabel("Resume"));
  const picker = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await picker).setFiles(SAMPLE_DOCX);
  await expect(page.getByText("resume.docx")).toBeVisible();

  const role = uniqueRole("keyboard");
  await tabTo(page, page.getByLabel("Target role"));
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(role);
  await expect(page.getByLabel("Target role")).toHaveValue(role);

  await tabTo(page, page.getByRole("button", { name: "Start the interview" }));
  await page.keyboard.press("Enter");
  await expect(
    page.getByRole("heading", { level: 1, name: "Preparing your interview" }),
  ).toBeVisible();

  const start = page.getByRole("link", { name: "Start the interview" });
  await expect(start).toBeVisible({ timeout: PIPELINE_TIMEOUT_MS });
  await tabTo(page, start);
  await page.keyboard.press("Enter");

  // The room: the timer, an answer, its feedback.
  const first = questionCard(page, 1);
  await expect(first).toBeVisible();
  await tabTo(page, first.getByRole("checkbox", { name: "Timer (3 min)" }));
  await page.keyboard.press("Space");
  await expect(first.getByRole("timer", { name: "Time left for this question" })).toBeVisible();

  await tabTo(page, first.getByLabel("Your answer"));
  await page.keyboard.type("I measured the slow query first, then added the missing index.");
  await expect(first.getByText("11 words")).toBeVisible();
  await tabTo(page, first.getByRole("button", { name: "Submit answer" }));
  await page.keyboard.press("Enter");
  await awaitFeedback(first);
  // Focus goes to the answer just given, so a screen reader hears what happened.
  await expect(first.getByRole("heading", { level: 3, name: "Your answer" })).toBeFocused();

  // Next question: focus lands on its heading.
  await tabTo(page, first.getByRole("button", { name: "Next question" }));
  await page.keyboard.press("Enter");
  await expect(
    questionCard(page, 2).getByRole("heading", { name: "Question 2 of 10" }),
  ).toBeFocused();

  // Back to the first through the list of questions, which says where each one stands (and
  // whether a follow-up on it waits: the thin answer above may get one).
  await tabTo(
    page,
    page.getByRole("button", { name: /^Question 1, answered, scored \d+ out of 10(,|$)/ }),
  );
  await page.keyboard.press("Enter");
  await expect(first.getByRole("heading", { name: "Question 1 of 10" })).toBeFocused();
});
