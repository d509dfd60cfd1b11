import { screen, within } from "@testing-library/react";
import type { SessionSummary } from "../api/sessions";
import { report } from "../test/fixtures";
import { json, noContent } from "../test/gateway";
import { CSRF_TOKEN, renderApp } from "../test/render";

function summary(id: string, overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id,
    status: "completed",
    target_role: `Role ${id}`,
    created_at: "2026-05-03T10:00:00Z",
    updated_at: "2026-05-03T11:00:00Z",
    progress: { answered: 10, evaluated: 10, total: 10, written: 10, followups: 0, skipped: 0 },
    ...overrides,
  };
}

const SESSIONS = [
  summary("c", {
    created_at: "2026-05-10T10:00:00Z",
    target_role: "Staff Engineer",
    overall_score: 81,
  }),
  summary("b", {
    status: "in_progress",
    progress: { answered: 3, evaluated: 3, total: 10, written: 10, followups: 0, skipped: 0 },
    overall_score: null,
  }),
  summary("a", {
    created_at: "2026-04-01T10:00:00Z",
    target_role: "Backend Engineer",
    overall_score: 55,
  }),
];

/** The same list as a gateway of the earlier release gives it: no `overall_score` field. */
const SESSIONS_WITHOUT_SCORES = SESSIONS.map(({ overall_score: _, ...rest }) => rest);

function openHistory(items: SessionSummary[] = SESSIONS) {
  let listed = items;
  const rendered = renderApp("/interviews", {
    routes: (g) =>
      g
        .on("GET", "/v1/sessions", () => json(200, { items: listed, next_cursor: null }))
        .on("GET", "/v1/sessions/:id/report", (_, { id }) =>
          json(200, report({ overall_score: id === "a" ? 55 : 81 })),
        )
        .on("DELETE", "/v1/sessions/:id", (_, { id }) => {
          listed = listed.filter((s) => s.id !== id);
          return noContent();
        }),
  });
  return rendered;
}

describe("History", () => {
  test("lists each interview with its date, role, state and score", async () => {
    const { gateway } = openHistory();

    const list = await screen.findByRole("list", { name: "Interviews" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(
      within(items[0] as HTMLElement).getByRole("link", { name: /^Open Staff Engineer/ }),
    ).toHaveAttribute("href", "/interviews/c");
    expect(await within(items[0] as HTMLElement).findByText("81")).toBeVisible();
    expect(within(items[1] as HTMLElement).getByText("3 of 10 answered")).toBeVisible();
    expect(within(items[2] as HTMLElement).getByText("Completed")).toBeVisible();
    expect(await within(items[2] as HTMLElement).findByText("55")).toBeVisible();
    // The scores come with the list: no report is asked for.
    expect(gateway.requests.filter((r) => r.path.endsWith("/report"))).toHaveLength(0);
  });

  test("an interview in progress with a skipped follow-up says it was skipped", async () => {
    openHistory([
      summary("e", {
        status: "in_progress",
        progress: { answered: 5, evaluated: 5, total: 11, written: 11, followups: 1, skipped: 1 },
        overall_score: null,
      }),
    ]);
    const list = await screen.findByRole("list", { name: "Interviews" });
    expect(within(list).getByText("5 of 11 answered, 1 skipped")).toBeVisible();
  });

  test("an interview whose report numbers are in shows its score before the words", async () => {
    openHistory([
      summary("d", {
        status: "in_progress",
        progress: { answered: 10, evaluated: 10, total: 10, written: 10, followups: 0, skipped: 0 },
        overall_score: 64,
      }),
    ]);
    const list = await screen.findByRole("list", { name: "Interviews" });
    expect(within(list).getByText("64")).toBeVisible();
  });

  test("from a gateway that lists no scores, each finished interview's report gives it", async () => {
    const { gateway } = openHistory(SESSIONS_WITHOUT_SCORES);
    const list = await screen.findByRole("list", { name: "Interviews" });
    expect(await within(list).findByText("81")).toBeVisible();
    expect(await within(list).findByText("55")).toBeVisible();
    expect(gateway.requests.filter((r) => r.path.endsWith("/report")).map((r) => r.path)).toEqual([
      "/v1/sessions/c/report",
      "/v1/sessions/a/report",
    ]);
  });

  test("a chart shows the overall score over time, oldest first", async () => {
    openHistory();
    expect(
      await screen.findByRole("img", {
        name: "Overall score over 2 finished interviews, from 55 to 81 out of 100.",
      }),
    ).toBeVisible();
  });

  test("delete asks first; keeping it sends nothing", async () => {
    const { gateway, user } = openHistory();

    await user.click(await screen.findByRole("button", { name: /^Delete Staff Engineer/ }));
    const question = screen.getByRole("group", { name: /Delete the interview for Staff Engineer/ });
    expect(within(question).getByRole("button", { name: "Delete for good" })).toHaveFocus();
    await user.click(within(question).getByRole("button", { name: "Keep it" }));

    expect(screen.getByRole("button", { name: /^Delete Staff Engineer/ })).toHaveFocus();
    expect(gateway.requests.filter((r) => r.method === "DELETE")).toHaveLength(0);
  });

  test("delete, once confirmed, erases the interview with the CSRF token", async () => {
    const { gateway, user } = openHistory();

    await user.click(await screen.findByRole("button", { name: /^Delete Staff Engineer/ }));
    await user.click(screen.getByRole("button", { name: "Delete for good" }));

    expect(await screen.findByRole("link", { name: /^Open Backend Engineer/ })).toBeVisible();
    await vi.waitFor(() =>
      expect(screen.queryByRole("link", { name: /^Open Staff Engineer/ })).not.toBeInTheDocument(),
    );
    const [sent] = gateway.calls("DELETE", "/v1/sessions/c");
    expect(sent?.headers.get("X-CSRF-Token")).toBe(CSRF_TOKEN);
  });

  test("with no interview yet, it invites a first one", async () => {
    openHistory([]);
    expect(await screen.findByRole("heading", { name: "No interviews yet" })).toBeVisible();
    expect(screen.getByRole("link", { name: "Start your first interview" })).toHaveAttribute(
      "href",
      "/interviews/new",
    );
  });
});
