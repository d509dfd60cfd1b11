import { screen, within } from "@testing-library/react";
import { SESSION_ID, sessionView } from "../test/fixtures";
import { json, problem } from "../test/gateway";
import { CSRF_TOKEN, currentPath, renderApp } from "../test/render";

const pdf = (bytes = 2048, name = "resume.pdf") =>
  new File([new Uint8Array(bytes).fill(37)], name, { type: "application/pdf" });

async function fillForm(user: ReturnType<typeof renderApp>["user"], file: File) {
  await user.upload(await screen.findByLabelText("Resume"), file);
  await user.type(screen.getByLabelText("Target role"), "Senior Backend Engineer");
  await user.type(screen.getByLabelText("Job description"), "Build APIs in Python.");
}

describe("NewInterview", () => {
  test("uploads the three fields as multipart with the CSRF token, then shows the preparation", async () => {
    const { gateway, user } = renderApp("/interviews/new", {
      routes: (g) =>
        g
          .on("POST", "/v1/sessions", () => json(202, sessionView({ status: "parsing" })))
          .on("GET", "/v1/sessions/:id", () => json(200, sessionView({ status: "parsing" }))),
    });

    await fillForm(user, pdf());
    await user.click(screen.getByRole("button", { name: "Start the interview" }));

    expect(
      await screen.findByRole("heading", { level: 1, name: "Preparing your interview" }),
    ).toBeInTheDocument();
    expect(currentPath()).toBe(`/interviews/${SESSION_ID}/preparing`);
    const [sent] = gateway.calls("POST", "/v1/sessions");
    expect(sent?.headers.get("X-CSRF-Token")).toBe(CSRF_TOKEN);
    expect(sent?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent?.form?.get("target_role")).toBe("Senior Backend Engineer");
    expect(sent?.form?.get("job_description")).toBe("Build APIs in Python.");
    const resume = sent?.form?.get("resume") as File;
    expect(resume.size).toBe(2048);
    expect(resume.name).toBe("resume.pdf");
  });

  test("a file that is not a PDF or DOCX is refused before upload", async () => {
    const { gateway, user } = renderApp("/interviews/new");
    // The input's accept attribute is a hint a drop ignores; applyAccept: false plays a drop.
    const userWithoutAccept = user.setup({ applyAccept: false });

    await userWithoutAccept.upload(
      await screen.findByLabelText("Resume"),
      new File(["hello"], "resume.txt", { type: "text/plain" }),
    );
    await userWithoutAccept.type(screen.getByLabelText("Target role"), "Engineer");
    await userWithoutAccept.type(screen.getByLabelText("Job description"), "Build things.");
    await userWithoutAccept.click(screen.getByRole("button", { name: "Start the interview" }));

    expect(screen.getByLabelText("Resume")).toHaveAccessibleDescription(
      /“resume\.txt” is not a PDF or Word \(DOCX\) file/,
    );
    expect(gateway.calls("POST", "/v1/sessions")).toHaveLength(0);
  });

  test("a resume over 5 MB is refused before upload, with its size", async () => {
    const { gateway, user } = renderApp("/interviews/new");

    await fillForm(user, pdf(5 * 1024 * 1024 + 1, "big.pdf"));
    await user.click(screen.getByRole("button", { name: "Start the interview" }));

    expect(screen.getByLabelText("Resume")).toHaveAccessibleDescription(
      /“big\.pdf” is 5\.0 MB; the limit is 5 MB/,
    );
    expect(gateway.calls("POST", "/v1/sessions")).toHaveLength(0);
  });

  test("empty fields are named before anything is sent", async () => {
    const { gateway, user } = renderApp("/interviews/new");

    await user.click(await screen.findByRole("button", { name: "Start the interview" }));

    expect(screen.getByLabelText("Resume")).toHaveAccessibleDescription(/Choose your resume/);
    expect(screen.getByLabelText("Target role")).toHaveAccessibleDescription(
      "Name the role you are applying for.",
    );
    expect(screen.getByLabelText("Job description")).toHaveAccessibleDescription(
      /Paste the job description\./,
    );
    expect(gateway.calls("POST", "/v1/sessions")).toHaveLength(0);
  });

  test("the server's refusal of the file is said in words under the resume", async () => {
    const { user } = renderApp("/interviews/new", {
      routes: (g) =>
        g.on("POST", "/v1/sessions", () =>
          problem(415, "unsupported-media-type", "the resume must be a PDF or a DOCX document"),
        ),
    });

    await fillForm(user, pdf());
    await user.click(screen.getByRole("button", { name: "Start the interview" }));

    expect(await screen.findByLabelText("Resume")).toHaveAccessibleDescription(
      /That file is not a PDF or Word \(DOCX\) document/,
    );
  });

  test("a 422 naming a field is shown under that field", async () => {
    const { user } = renderApp("/interviews/new", {
      routes: (g) =>
        g.on("POST", "/v1/sessions", () =>
          problem(422, "invalid-request", "invalid: job_description", {
            invalid_params: [
              { name: "job_description", reason: "must not contain control characters" },
            ],
          }),
        ),
    });

    await fillForm(user, pdf());
    await user.click(screen.getByRole("button", { name: "Start the interview" }));

    expect(await screen.findByLabelText("Job description")).toHaveAccessibleDescription(
      /Must not contain control characters\./,
    );
  });

  test("a retry of the same form sends the same idempotency key; an edit makes a new one", async () => {
    const { gateway, user } = renderApp("/interviews/new", {
      routes: (g) => g.on("POST", "/v1/sessions", () => problem(503, "database-busy", "busy")),
    });

    await fillForm(user, pdf());
    const start = screen.getByRole("button", { name: "Start the interview" });
    await user.click(start);
    await screen.findByRole("alert");
    await user.click(start);
    await user.type(screen.getByLabelText("Target role"), "!");
    await user.click(start);

    const keys = gateway.calls("POST", "/v1/sessions").map((r) => r.headers.get("Idempotency-Key"));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  test("the sample fills the resume, the role and the job description in one click", async () => {
    const { user } = renderApp("/interviews/new", {
      routes: (g) =>
        g
          .on("GET", "/samples/resume.pdf", () => new Response(new Uint8Array(4091).fill(37)))
          .on("GET", "/samples/job-description.txt", () => new Response("Brightwater Health\n"))
          .on("GET", "/samples/target-role.txt", () => new Response("Senior Backend Engineer\n")),
    });

    await user.click(await screen.findByRole("button", { name: "Use the sample" }));

    expect(await screen.findByLabelText("Target role")).toHaveValue("Senior Backend Engineer");
    expect(screen.getByLabelText("Job description")).toHaveValue("Brightwater Health");
    const form = screen.getByRole("form", { name: "New interview" });
    expect(within(form).getByText("sample-resume.pdf")).toBeInTheDocument();
  });
});
