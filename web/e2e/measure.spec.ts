/**
 * Issue 13's two targets, measured in the browser against the running system and written to
 * test-results/figures.json (the pytest wrapper prints them):
 *
 * - the JavaScript a first visit loads before its first screen shows, gzipped at level 9 as a
 *   server would send it: at most 200 KB (asserted);
 * - from pressing "Start the interview" to the first question on screen, against the API's own
 *   time for the same interview (from its POST /v1/sessions to the first GET of the session that
 *   shows a question, polled back to back from here): the app may add at most 300 ms. The app's
 *   time includes pressing "Start the interview" on the preparing screen the moment it appears.
 *   Measured over five interviews with the model down. The figures are written, with whether
 *   the median met the target, but not asserted: on a shared machine a timing bound in a test
 *   would fail for reasons of its own; the README's figures table reports them.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page, Response } from "@playwright/test";
import { fillNewInterview, PIPELINE_TIMEOUT_MS, questionCard, uniqueRole } from "./candidate";
import { expect, test } from "./fixtures";
import { FIGURES_FILE } from "./paths";

const JS_BUDGET_BYTES = 200 * 1000;
const ADDED_BUDGET_MS = 300;
const ROUNDS = 5;

type Figures = Record<string, unknown>;

function record(figures: Figures): void {
  let current: Figures = {};
  try {
    current = JSON.parse(readFileSync(FIGURES_FILE, "utf8")) as Figures;
  } catch {
    // the first figure of this run
  }
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  writeFileSync(FIGURES_FILE, `${JSON.stringify({ ...current, ...figures }, null, 2)}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

test("first-load JavaScript is at most 200 KB gzipped", async ({ page }) => {
  const scripts: Response[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response);
  });
  await page.goto("/");
  await expect(
    page.getByRole("heading", { level: 1, name: "Start a new interview" }),
  ).toBeVisible();

  const files: Record<string, number> = {};
  let total = 0;
  for (const response of scripts) {
    const gzipped = gzipSync(await response.body(), { level: 9 }).length;
    files[new URL(response.url()).pathname] = gzipped;
    total += gzipped;
  }
  record({ first_load_js_gzip_bytes: total, first_load_js_files: files });
  expect(scripts.length).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(JS_BUDGET_BYTES);
});

/** Poll the session back to back until it shows a question; the moment it did. */
async function firstQuestionSeenByApi(page: Page, id: string): Promise<number> {
  const deadline = Date.now() + PIPELINE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const response = await page.request.get(`/v1/sessions/${id}`);
    const seen = Date.now();
    const view = (await response.json()) as { questions?: unknown[] };
    if ((view.questions?.length ?? 0) > 0) return seen;
  }
  throw new Error(`the API showed no question of ${id} within ${PIPELINE_TIMEOUT_MS} ms`);
}

interface ScreenTimes {
  pressed: number;
  ready: number;
  shown: number;
}

/**
 * Watches the page from inside (a locator's wait polls every 100 ms or more, too coarse for
 * this): when the form is submitted; when the link "Start the interview" appears, which it then
 * presses at once, as a candidate waiting for it would; and when the article of question 1 is
 * on screen (the frame after it entered the page). Found by role and accessible name, like the
 * specs' locators. Times are the wall clock, as Node's and the network's are.
 */
function watchForTheFirstQuestion(): void {
  const named = (element: Element): string => {
    const by = element.getAttribute("aria-labelledby");
    return (by ? document.getElementById(by)?.textContent : element.textContent)?.trim() ?? "";
  };
  const times: Partial<ScreenTimes> = {};
  (window as { measuring?: Partial<ScreenTimes> }).measuring = times;
  const frame = () =>
    new Promise<number>((resolve) => requestAnimationFrame(() => resolve(Date.now())));
  let pressedLink: HTMLAnchorElement | undefined;
  (window as { measured?: Promise<ScreenTimes> }).measured = new Promise((resolve) => {
    document.addEventListener("submit", () => (times.pressed ??= Date.now()), { capture: true });
    const look = () => {
      if (times.pressed === undefined || times.shown !== undefined) return;
      const question = Array.from(document.querySelectorAll("article")).find((article) =>
        named(article).startsWith("Question 1 of"),
      );
      if (question) {
        times.shown = 0;
        observer.disconnect();
        void frame().then((shown) => resolve({ ...(times as ScreenTimes), shown }));
        return;
      }
      const link = Array.from(document.querySelectorAll("a")).find(
        (a) => named(a) === "Start the interview",
      );
      // Pressed as soon as it is there (again if a render replaced the element pressed).
      if (link && link !== pressedLink) {
        times.ready ??= Date.now();
        pressedLink = link;
        link.click();
      }
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

test("from Start to the first question on screen, against the API's own time", async ({
  page,
  model,
}) => {
  test.setTimeout(300_000);
  await model("down");
  const rounds: { api_ms: number; app_ms: number; added_ms: number; ready_ms: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await fillNewInterview(page, { role: uniqueRole("measure") });
    await page.evaluate(watchForTheFirstQuestion);
    const posted = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/v1/sessions",
    );
    await page.getByRole("button", { name: "Start the interview" }).click();
    const created = await posted;
    const postStarted = created.request().timing().startTime;
    const id = ((await created.json()) as { id: string }).id;
    const apiSaw = await firstQuestionSeenByApi(page, id);
    const times = await page.evaluate(
      (ms) =>
        Promise.race([
          (window as { measured?: Promise<ScreenTimes> }).measured,
          new Promise<never>((_, reject) =>
            setTimeout(() => {
              const seen = (window as { measuring?: Partial<ScreenTimes> }).measuring;
              const where = seen?.ready ? "the room" : "the preparing screen";
              reject(new Error(`no question on screen ${ms} ms later, still on ${where}`));
            }, ms),
          ),
        ]),
      PIPELINE_TIMEOUT_MS,
    );
    if (!times) throw new Error("the watcher was not installed");
    await expect(questionCard(page, 1)).toBeVisible();

    const api = apiSaw - postStarted;
    const app = times.shown - times.pressed;
    rounds.push({
      api_ms: Math.round(api),
      app_ms: app,
      added_ms: Math.round(app - api),
      ready_ms: times.ready - times.pressed,
    });
  }
  const added = rounds.map((r) => r.added_ms);
  const figures = {
    start_to_first_question: {
      rounds,
      api_median_ms: median(rounds.map((r) => r.api_ms)),
      app_median_ms: median(rounds.map((r) => r.app_ms)),
      added_median_ms: median(added),
      added_max_ms: Math.max(...added),
      target_added_ms: ADDED_BUDGET_MS,
      target_met: median(added) <= ADDED_BUDGET_MS,
    },
  };
  record(figures);
  expect(rounds).toHaveLength(ROUNDS);
});
