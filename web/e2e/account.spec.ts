/**
 * An account of its own, from a signed-out browser: sign up, sign out (the old session cookie
 * no longer works: the server revoked it), a wrong password refused in words, sign in again
 * and land where we were headed, then delete the account after a confirmation, after which
 * it cannot sign in.
 */
import { type Credentials, newCredentials, signIn, signUp } from "./candidate";
import { expect, test } from "./fixtures";

test.use({ storageState: { cookies: [], origins: [] } });

const WRONG_PAIR = "That email and password do not match an account. Check them and try again.";

test("sign up, sign out, sign in, delete the account", async ({ page, checkScreen }) => {
  const signInHeading = page.getByRole("heading", { level: 1, name: "Sign in" });
  const accountLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", {
    name: "Account",
  });
  const credentials: Credentials = newCredentials();

  // An address that is no screen says so.
  await page.goto("/no-such-screen");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await checkScreen("not-found");

  // Signed out, a screen that needs an account sends us to sign in.
  await page.goto("/interviews");
  await expect(signInHeading).toBeVisible();
  await checkScreen("sign-in");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create your account" })).toBeVisible();
  await checkScreen("sign-up");
  await signUp(page, credentials);
  await expect(page.getByRole("heading", { level: 1, name: "Your interviews" })).toBeVisible();

  await accountLink.click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByText(credentials.email)).toBeVisible();
  await checkScreen("account");

  // Sign out, then try the old cookies again: the server has revoked that session.
  const signedInCookies = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(signInHeading).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await page.context().addCookies(signedInCookies);
  await page.goto("/interviews");
  await expect(signInHeading).toBeVisible();
  await page.context().clearCookies();

  // A wrong password is refused in words; the right one brings us where we were headed.
  await signIn(page, { ...credentials, password: "not the password at all" });
  await expect(page.getByRole("alert")).toContainText(WRONG_PAIR);
  await signIn(page, credentials);
  await expect(page.getByRole("heading", { level: 1, name: "Your interviews" })).toBeVisible();

  // Deleting the account asks first; "Keep my account" keeps it.
  await accountLink.click();
  await page.getByRole("button", { name: "Delete my account" }).click();
  const question = page.getByRole("group", {
    name: "Delete your account and all your interviews for good?",
  });
  await expect(question).toBeVisible();
  await checkScreen("account-delete");
  await question.getByRole("button", { name: "Keep my account" }).click();
  await expect(question).toHaveCount(0);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await question.getByRole("button", { name: "Yes, delete everything" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create your account" })).toBeVisible();

  // The account is gone: its email and password no longer sign in.
  await page.goto("/signin");
  await signIn(page, credentials);
  await expect(page.getByRole("alert")).toContainText(WRONG_PAIR);
});
