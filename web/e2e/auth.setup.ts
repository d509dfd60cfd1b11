/**
 * Signs up once, through the sign-up screen, and saves the browser's state (the session and
 * CSRF cookies) for every other spec: they start signed in as this fresh account.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { newCredentials, signUp } from "./candidate";
import { expect, test } from "./fixtures";
import { ACCOUNT_STATE } from "./paths";

test("sign up and keep the session", async ({ page }) => {
  await page.goto("/signup");
  await expect(page.getByRole("heading", { level: 1, name: "Create your account" })).toBeVisible();

  await signUp(page, newCredentials());
  await expect(
    page.getByRole("heading", { level: 1, name: "Start a new interview" }),
  ).toBeVisible();

  mkdirSync(dirname(ACCOUNT_STATE), { recursive: true });
  await page.context().storageState({ path: ACCOUNT_STATE });
});
