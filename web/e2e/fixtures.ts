/**
 * What every browser spec shares: the page guard (no dialog, no uncaught error, no blocked
 * script), the screen check (axe-core finds no serious or critical violation, and a screenshot
 * is saved under test-results/screens/), and the switch of the fake model between down and
 * healthy, through the fake Ollama's own HTTP control routes.
 *
 * The specs run against the real system that tests/browser/test_browser_suite.py starts (the
 * gateway serving web/dist, three workers, RabbitMQ, Postgres, the fake Ollama); it passes the
 * gateway's address in CAREERFLOW_URL and the fake's in CAREERFLOW_FAKE_MODEL_URL.
 */
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { SCREENS_DIR } from "./paths";

export { expect };

/** Each run's screenshots, one per screen and project: test-results/screens/<project>-<screen>.png */
export function screenshotPath(testInfo: TestInfo, screen: string): string {
  return join(SCREENS_DIR, `${testInfo.project.name}-${screen}.png`);
}

const BLOCKING_IMPACTS = new Set(["serious", "critical"]);

/** Axe-core on the whole page: the serious and critical violations, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
          .map((node) => node.target.join(" "))
          .join(", ")})`,
    );
}

export type ModelState = "down" | "healthy";

/** The fake Ollama's control routes, in the pytest process that started the system. */
function fakeModelUrl(): string {
  const url = process.env.CAREERFLOW_FAKE_MODEL_URL;
  if (!url) {
    throw new Error(
      "CAREERFLOW_FAKE_MODEL_URL is not set: run the browser suite through pytest " +
        "(python3 -m uv run pytest tests/browser), which starts the system and the fake model",
    );
  }
  return url;
}

/**
 * "down": every chat call fails at once with the server error of a crashed model runner, so
 * each stage falls back and says why; "healthy": the fake answers as a good model would.
 */
const BEHAVIOUR: Record<ModelState, string> = { down: "error_500", healthy: "healthy" };

interface Fixtures {
  /** Fails the test if the page opened a dialog, threw, or had a script refused by the CSP. */
  pageGuard: undefined;
  /**
   * The screen on show: axe-core finds no serious or critical violation, nothing is wider than
   * the window (no sideways scrolling on a phone), and its screenshot is saved.
   */
  checkScreen: (name: string) => Promise<void>;
  /** Turn the fake model down or healthy for the calls that follow. */
  model: (state: ModelState) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  pageGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("dialog", (dialog) => {
        problems.push(`a ${dialog.type()} dialog opened: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on("pageerror", (error) => problems.push(`uncaught in the page: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && message.text().includes("Content Security Policy")) {
          problems.push(`refused by the CSP: ${message.text()}`);
        }
      });
      await use(undefined);
      expect(problems, "the page stayed quiet").toEqual([]);
    },
    { auto: true },
  ],

  checkScreen: async ({ page }, use, testInfo) => {
    await use(async (name: string) => {
      expect(await seriousViolations(page), `axe-core on the ${name} screen`).toEqual([]);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `the ${name} screen is no wider than the window`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: screenshotPath(testInfo, name), fullPage: true });
    });
  },

  model: async ({ request }, use) => {
    await use(async (state: ModelState) => {
      const response = await request.post(`${fakeModelUrl()}/_fake/behaviour`, {
        data: { behaviour: BEHAVIOUR[state] },
      });
      expect(response.ok(), `the fake model is ${state}`).toBe(true);
    });
  },
});
