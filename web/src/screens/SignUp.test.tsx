import { screen } from "@testing-library/react";
import { ACCOUNT } from "../test/fixtures";
import { json, problem } from "../test/gateway";
import { currentPath, renderApp } from "../test/render";

describe("SignUp", () => {
  test("creates the account and goes to a new interview", async () => {
    const { gateway, user } = renderApp("/signup", {
      signedIn: false,
      routes: (g) => g.on("POST", "/v1/auth/signup", () => json(201, ACCOUNT)),
    });

    await user.type(await screen.findByLabelText("Email"), "tamsin@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(
      await screen.findByRole("heading", { level: 1, name: "Start a new interview" }),
    ).toBeInTheDocument();
    expect(gateway.calls("POST", "/v1/auth/signup")[0]?.json).toEqual({
      email: "tamsin@example.com",
      password: "correct horse battery",
    });
    expect(currentPath()).toBe("/interviews/new");
    expect(screen.getByRole("navigation", { name: "Main" })).toBeInTheDocument();
  });

  test("a short password is refused before anything is sent", async () => {
    const { gateway, user } = renderApp("/signup", { signedIn: false });

    await user.type(await screen.findByLabelText("Email"), "tamsin@example.com");
    await user.type(screen.getByLabelText("Password"), "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(
      /use at least 12 characters \(you have 5\)/i,
    );
    expect(gateway.calls("POST", "/v1/auth/signup")).toHaveLength(0);
  });

  test("an email already taken is said under the email, with a way to sign in", async () => {
    const { user } = renderApp("/signup", {
      signedIn: false,
      routes: (g) =>
        g.on("POST", "/v1/auth/signup", () => problem(409, "email-taken", "email taken")),
    });

    await user.type(await screen.findByLabelText("Email"), "tamsin@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByLabelText("Email")).toHaveAccessibleDescription(
      "An account with this email already exists.",
    );
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute(
      "href",
      "/signin?next=%2Finterviews%2Fnew",
    );
  });

  test("the server's 422 is shown under the field it names", async () => {
    const { user } = renderApp("/signup", {
      signedIn: false,
      routes: (g) =>
        g.on("POST", "/v1/auth/signup", () =>
          problem(422, "invalid-request", "invalid: body.email", {
            invalid_params: [{ name: "body.email", reason: "value is not a valid email address" }],
          }),
        ),
    });

    await user.type(await screen.findByLabelText("Email"), "tamsin@example");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByLabelText("Email")).toHaveAccessibleDescription(
      "Value is not a valid email address.",
    );
  });
});
