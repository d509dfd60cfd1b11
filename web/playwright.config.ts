// Playwright drives Debian's Chromium (/usr/bin/chromium): Playwright's own browser download cannot
// work on these machines. The browser suite (e2e/) runs against a running system, at
// CAREERFLOW_URL (default http://127.0.0.1:8000, where `make run` serves the built app). The specs
// that set the model down or healthy also need CAREERFLOW_FAKE_MODEL_URL, the fake model's control
// URL, which `pytest tests/browser` (make test-browser) sets when it starts the system and the
// fake; against a plain `make run` those stop at once and say so (the account spec and the
// signed-out phone spec were seen to pass there).
import { defineConfig } from "@playwright/test";
import { ACCOUNT_STATE } from "./e2e/paths";

const CHROMIUM = process.env.CAREERFLOW_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: process.env.CAREERFLOW_URL ?? "http://127.0.0.1:8000",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      // Without the background-networking flags Chromium keeps dialling out on a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // auth.setup.ts signs up once; the other projects start signed in as that account. The phone
  // project walks every screen at 375 px; the desktop one runs every other spec.
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    {
      name: "desktop",
      testIgnore: /phone\.spec\.ts$/,
      dependencies: ["setup"],
      use: {
        browserName: "chromium",
        viewport: { width: 1280, height: 900 },
        storageState: ACCOUNT_STATE,
      },
    },
    {
      name: "phone",
      testMatch: /phone\.spec\.ts$/,
      dependencies: ["setup"],
      use: {
        browserName: "chromium",
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
        storageState: ACCOUNT_STATE,
      },
    },
    // The README's picture of the interview room, only when asked for (e2e/readme-picture.ts).
    ...(process.env.CAREERFLOW_README_PICTURE
      ? [
          {
            name: "readme",
            testMatch: /readme-picture\.ts$/,
            dependencies: ["setup"],
            use: {
              browserName: "chromium" as const,
              viewport: { width: 1024, height: 800 },
              storageState: ACCOUNT_STATE,
            },
          },
        ]
      : []),
  ],
});
