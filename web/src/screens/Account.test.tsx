import { screen } from "@testing-library/react";
import { noContent } from "../test/gateway";
import { CSRF_TOKEN, currentPath, renderApp } from "../test/render";

describe("Account", () => {
  test("sign out ends the session and goes to sign in", async () => {
    const { gateway, user } = renderApp("/account", {
      routes: (g) => g.on("POST", "/v1/auth/signout", () => noContent()),
    });

    expect(await screen.findByText("tamsin@example.com")).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    expect(gateway.calls("POST", "/v1/auth/signout")[0]?.headers.get("X-CSRF-Token")).toBe(
      CSRF_TOKEN,
    );
    expect(screen.queryByRole("navigation", { name: "Main" })).not.toBeInTheDocument();
  });

  test("deleting the account needs a confirmation, then erases it", async () => {
    const { gateway, user } = renderApp("/account", {
      routes: (g) => g.on("DELETE", "/v1/auth/me", () => noContent()),
    });

    await user.click(await screen.findByRole("button", { name: "Delete my account" }));
    expect(gateway.calls("DELETE", "/v1/auth/me")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Yes, delete everything" }));

    expect(
      await screen.findByRole("heading", { level: 1, name: "Create your account" }),
    ).toBeVisible();
    expect(currentPath()).toBe("/signup");
    expect(gateway.calls("DELETE", "/v1/auth/me")[0]?.headers.get("X-CSRF-Token")).toBe(CSRF_TOKEN);
  });
});
