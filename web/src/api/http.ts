/**
 * The typed client of the gateway's REST API (openapi-fetch over the types generated from its
 * OpenAPI document in ../client): same origin, the session cookie, and the CSRF header on every
 * unsafe request.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../client/schema";
import { withCsrf } from "./csrf";
import { ApiError } from "./errors";

const csrf: Middleware = {
  onRequest({ request }) {
    withCsrf(request.method, request.headers);
    return request;
  },
};

export const api = createClient<paths>({
  // An absolute base: the same origin in a browser, and a valid URL under a test's DOM too.
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "same-origin",
  // Looked up at each call, so tests can put a fake gateway in place of fetch.
  fetch: (request) => globalThis.fetch(request),
});
api.use(csrf);

/** The body of a successful answer, or an ApiError for any other. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw new ApiError(
      response.status,
      (error as ApiError["problem"]) ?? null,
      retryAfter(response),
    );
  }
  return data as T;
}

function retryAfter(response: Response): number | null {
  const seconds = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  return Number.isFinite(seconds) ? seconds : null;
}
