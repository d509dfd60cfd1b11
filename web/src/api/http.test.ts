import { FakeGateway, json, noContent } from "../test/gateway";
import { readCsrfToken } from "./csrf";
import { describeError } from "./errors";
import { api, unwrap } from "./http";
import { deleteSession, listSessions } from "./sessions";

describe("the API client", () => {
  test("unsafe requests carry the CSRF cookie's token; safe ones do not", async () => {
    const gateway = new FakeGateway().install();
    gateway
      .on("GET", "/v1/sessions", () => json(200, { items: [], next_cursor: null }))
      .on("DELETE", "/v1/sessions/:id", () => noContent());
    document.cookie = "other=1; path=/";
    document.cookie = "careerflow_csrf=abc%3D%3D; path=/";

    await listSessions(null);
    await deleteSession("s-1");

    const [get] = gateway.calls("GET", "/v1/sessions");
    const [del] = gateway.calls("DELETE", "/v1/sessions/s-1");
    expect(get?.headers.get("X-CSRF-Token")).toBeNull();
    expect(del?.headers.get("X-CSRF-Token")).toBe("abc==");
  });

  test("without the cookie no header is invented", async () => {
    const gateway = new FakeGateway().install();
    gateway.on("DELETE", "/v1/sessions/:id", () => noContent());
    await deleteSession("s-1");
    expect(gateway.calls("DELETE", "/v1/sessions/s-1")[0]?.headers.has("X-CSRF-Token")).toBe(false);
  });

  test("a refusal becomes an error with the problem's words", async () => {
    const gateway = new FakeGateway().install();
    gateway.on("GET", "/v1/sessions/:id", () =>
      json(404, {
        type: "https://careerflow.dev/problems/not-found",
        title: "Not Found",
        status: 404,
      }),
    );
    const failure = await unwrap(
      api.GET("/v1/sessions/{session_id}", { params: { path: { session_id: "gone" } } }),
    ).catch((error: unknown) => error);
    expect(describeError(failure)).toBe("This interview does not exist, or it was deleted.");
  });

  test("a network failure is said as such", () => {
    expect(describeError(new TypeError("Failed to fetch"))).toBe(
      "CareerFlow could not be reached. Check your connection and try again.",
    );
  });

  test("the token is read from among other cookies", () => {
    expect(readCsrfToken("a=1; careerflow_csrf=t0k=en; b=2")).toBe("t0k=en");
    expect(readCsrfToken("a=1")).toBeNull();
  });
});
