import { screen, waitFor } from "@testing-library/react";
import { ACCOUNT } from "../test/fixtures";
import { json, problem } from "../test/gateway";
import { currentPath, renderApp } from "../test/render";
import { safeNext } from "./SignIn";

describe("SignIn", () => {
  test("a signed-out visitor is sent to sign in, then back where they were going", async () => {
    const { gateway, user } = renderApp("/interviews", {
      signedIn: false,
      routes: (g) =>
        g
          .on("POST", "/v1/auth/signin", () => json(200, ACCOUNT))
          .on("GET", "/v1/sessions", () => json(200, { items: [], next_cursor: null })),
    });

    const heading = await screen.findByRole("heading", { level: 1, name: "Sign in" });
    expect(currentPath()).toBe("/signin?next=%2Finterviews");
    // After a change of screen, focus goes to the new screen's heading (for screen readers).
    await waitFor(() => expect(heading).toHaveFocus());

    await user.type(screen.getByLabelText("Email"), "tamsin@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(
      await screen.findByRole("heading", { level: 1, name: "Your interviews" }),
    ).toBeInTheDocument();
    // Sign-in is exempt from CSRF (no session yet), but the header does no harm when present.
    expect(gateway.calls("POST", "/v1/auth/signin")[0]?.json).toEqual({
      email: "tamsin@example.com",
      password: "correct horse battery",
    });
  });

  test("a wrong pair says so in words and stays on the form", async () => {
    const { user } = renderApp("/signin", {
      signedIn: false,
      routes: (g) =>
        g.on("POST", "/v1/auth/signin", () => problem(401, "unauthorized", "wrong pair")),
    });

    await user.type(await screen.findByLabelText("Email"), "tamsin@example.com");
    await user.type(screen.getByLabelText("Password"), "not my password!");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That email and password do not match an account.",
    );
    expect(currentPath()).toBe("/signin");
  });

  test("rate limiting tells how long to wait, from Retry-After", async () => {
    const { user } = renderApp("/signin", {
      signedIn: false,
      routes: (g) =>
        g.on("POST", "/v1/auth/signin", () =>
          problem(429, "too-many-requests", "slow down", {}, { "Retry-After": "42" }),
        ),
    });

    await user.type(await screen.findByLabelText("Email"), "tamsin@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Please wait 42 seconds");
  });

  test("the password can be shown", async () => {
    const { user } = renderApp("/signin", { signedIn: false });
    const password = await screen.findByLabelText("Password");
    expect(password).toHaveAttribute("type", "password");
    await user.click(screen.getByRole("checkbox", { name: "Show password" }));
    expect(password).toHaveAttribute("type", "text");
  });

  test("after sign-in, only a path of this app is followed", () => {
    expect(safeNext("/interviews/1/report")).toBe("/interviews/1/report");
    expect(safeNext("//evil.example/phish")).toBe("/interviews/new");
    expect(safeNext("https://evil.example/")).toBe("/interviews/new");
    expect(safeNext("/\\evil.example/phish")).toBe("/interviews/new");
    expect(safeNext(null)).toBe("/interviews/new");
  });
});
