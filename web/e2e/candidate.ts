/**
 * The candidate of the browser suite: an account, the sample resume and job with a role of the
 * spec's own (so each spec finds its interview in a shared history), answers, and the steps of
 * one interview, done as a person does them: by role and label, waiting for what the screen
 * shows rather than for a clock.
 */
import { randomUUID } from "node:crypto";
import { expect, type Locator, type Page } from "@playwright/test";

export const TOTAL_QUESTIONS = 10;

/** The pipeline's waits (the resume read, the questions written, an answer scored). */
export const PIPELINE_TIMEOUT_MS = 60_000;

export interface Credentials {
  email: string;
  password: string;
}

export function newCredentials(): Credentials {
  const id = randomUUID().slice(0, 12);
  return { email: `candidate-${id}@example.com`, password: `correct horse ${id} battery` };
}

/** A role no other interview of the run has, e.g. "Backend Engineer (model down a1b2c3)". */
export function uniqueRole(what: string): string {
  return `Backend Engineer (${what} ${randomUUID().slice(0, 6)})`;
}

async function fillCredentials(page: Page, credentials: Credentials): Promise<void> {
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password", { exact: true }).fill(credentials.password);
}

/** Sign up on the sign-up screen; done once the app shows its signed-in navigation. */
export async function signUp(page: Page, credentials: Credentials): Promise<void> {
  await fillCredentials(page, credentials);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

export async function signIn(page: Page, credentials: Credentials): Promise<void> {
  await fillCredentials(page, credentials);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** An answer of some substance: the fallback scorer reads its length, structure and points. */
export function answerFor(position: number): string {
  return (
    `In my last role I owned the booking service (question ${position}). The situation was a ` +
    "slow PostgreSQL query behind our busiest endpoint. I measured it first, added the missing " +
    "index and moved the reminder e-mails onto a RabbitMQ worker, so the request no longer " +
    "waited for them. As a result p95 latency fell from 900 ms to 120 ms, and I wrote down " +
    "what we learned so the team could check new queries the same way."
  );
}

/** The new-interview screen with the sample loaded and the spec's own role and job. */
export async function fillNewInterview(
  page: Page,
  { role, jobDescription }: { role: string; jobDescription?: string },
): Promise<void> {
  await page.goto("/interviews/new");
  await expect(
    page.getByRole("heading", { level: 1, name: "Start a new interview" }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Use the sample" }).click();
  await expect(page.getByText("sample-resume.pdf")).toBeVisible();
  await expect(page.getByLabel("Job description")).not.toHaveValue("");
  await page.getByLabel("Target role").fill(role);
  if (jobDescription !== undefined) {
    await page.getByLabel("Job description").fill(jobDescription);
  }
}

/** Start: the preparing screen, until the first question can be answered. */
export async function startInterview(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Start the interview" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Preparing your interview" }),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "Start the interview" })).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
}

/** The card of the question on screen. */
export function questionCard(page: Page, position: number): Locator {
  return page.getByRole("article", { name: `Question ${position} of ${TOTAL_QUESTIONS}` });
}

/** The feedback on the answer of the question on screen, once it has arrived. */
export async function awaitFeedback(card: Locator): Promise<Locator> {
  const feedback = card.getByRole("region", { name: "Feedback", exact: true });
  await expect(feedback).toBeVisible({ timeout: PIPELINE_TIMEOUT_MS });
  return feedback;
}

/** The follow-up under the question on screen. */
export function followupRegion(card: Locator, position: number): Locator {
  return card.getByRole("region", { name: `Follow-up to question ${position}` });
}

/** A follow-up's answer: short, but on the point it asks about. */
export const FOLLOWUP_ANSWER =
  "I would measure a baseline first, change one thing, and measure again to compare.";

/** Go to a question by the list of questions above the card. */
export async function goToQuestion(page: Page, position: number): Promise<void> {
  await page
    .getByRole("navigation", { name: "Questions" })
    .getByRole("button", { name: new RegExp(`^Question ${position},`) })
    .click();
}

/**
 * In the room: answer every question in turn, wait for each evaluation, call `check` on it,
 * then go on; then answer every follow-up the interviewer asked (they come as the answers are
 * scored, so the last ones may still be written: the screen says when nothing is left); ends
 * on the report.
 */
export async function answerEveryQuestion(
  page: Page,
  check: (feedback: Locator, position: number) => Promise<void>,
): Promise<void> {
  for (let position = 1; position <= TOTAL_QUESTIONS; position++) {
    const card = questionCard(page, position);
    await expect(card).toBeVisible({ timeout: PIPELINE_TIMEOUT_MS });
    const answer = answerFor(position);
    await card.getByLabel("Your answer", { exact: true }).fill(answer);
    await card.getByRole("button", { name: "Submit answer" }).click();
    await check(await awaitFeedback(card), position);
    await expect(card.getByText(answer)).toBeVisible();
    // Next, by the list: a follow-up waiting elsewhere takes the place of "Next question".
    if (position < TOTAL_QUESTIONS) await goToQuestion(page, position + 1);
  }
  await answerTheFollowups(page);
  await page.getByRole("link", { name: "See your report" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your interview report" })).toBeVisible({
    timeout: PIPELINE_TIMEOUT_MS,
  });
}

/**
 * Answer each follow-up as the room offers it (under the question on screen, or by its button
 * on another question), until the room offers the report: every answer scored, every
 * follow-up answered and none being written.
 */
export async function answerTheFollowups(page: Page): Promise<void> {
  const report = page.getByRole("link", { name: "See your report" });
  const waiting = page.getByRole("button", { name: /^Answer the follow-up to question \d+$/ });
  const box = page.getByLabel("Your answer to the follow-up");
  for (;;) {
    await expect(report.or(waiting).or(box).first()).toBeVisible({
      timeout: PIPELINE_TIMEOUT_MS,
    });
    if (await report.isVisible()) return;
    if (await box.isVisible()) {
      await box.fill(FOLLOWUP_ANSWER);
      await page.getByRole("button", { name: "Submit follow-up answer" }).click();
      // Sent once the answer box gives way to the answer.
      await expect(box).toBeHidden({ timeout: PIPELINE_TIMEOUT_MS });
    } else {
      await waiting.click();
    }
  }
}

/** The interview's id, from the address of one of its screens. */
export function interviewId(url: string): string {
  const found = /\/interviews\/([^/?#]+)\//.exec(url);
  if (!found?.[1]) throw new Error(`no interview in ${url}`);
  return found[1];
}

interface QuestionState {
  id: string;
  position: number;
  answer?: { evaluation?: unknown } | null;
  parent_id?: string | null;
  skipped?: boolean;
}

interface ViewState {
  questions: QuestionState[];
  followups_writing?: number[];
}

/**
 * Answer every question still open through the REST API, as the browser's own client does (the
 * session cookie, and the CSRF cookie repeated in X-CSRF-Token), for specs whose subject is a
 * later screen rather than answering.
 */
export async function answerTheRestThroughTheApi(page: Page, id: string): Promise<void> {
  const csrf = (await page.context().cookies()).find((c) => c.name === "careerflow_csrf");
  if (!csrf) throw new Error("no careerflow_csrf cookie: not signed in?");
  const response = await page.request.get(`/v1/sessions/${id}`);
  expect(response.ok()).toBe(true);
  const view = (await response.json()) as ViewState;
  for (const question of view.questions.filter((q) => !q.answer && !q.parent_id)) {
    const answered = await page.request.post(`/v1/sessions/${id}/answers`, {
      headers: { "X-CSRF-Token": csrf.value },
      data: { question_id: question.id, text: answerFor(question.position) },
    });
    expect(answered.status(), await answered.text()).toBeLessThan(300);
  }
  // The interviewer may follow some answers up as they are scored: skip each follow-up, until
  // none is being written or waits.
  await expect
    .poll(
      async () => {
        const now = (await (await page.request.get(`/v1/sessions/${id}`)).json()) as ViewState;
        const open = now.questions.filter((q) => q.parent_id && !q.answer && !q.skipped);
        for (const followup of open) {
          const skipped = await page.request.post(
            `/v1/sessions/${id}/questions/${followup.id}/skip`,
            { headers: { "X-CSRF-Token": csrf.value } },
          );
          expect(skipped.status(), await skipped.text()).toBe(200);
        }
        const scored = now.questions.every((q) => q.parent_id || q.answer?.evaluation);
        return scored && open.length === 0 && (now.followups_writing ?? []).length === 0;
      },
      { timeout: PIPELINE_TIMEOUT_MS, message: "every follow-up skipped" },
    )
    .toBe(true);
}
