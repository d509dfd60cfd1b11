/**
 * Errors from the gateway, and what to tell a person about them.
 *
 * The gateway answers every failure with problem+json (RFC 9457): a `type` ending in a stable
 * slug, a `detail` for developers and, on a 422, `invalid_params` naming each bad field. The page
 * shows plain words chosen by the slug or status, and falls back to the server's detail.
 */
import type { components } from "../client/schema";

export type Problem = components["schemas"]["ProblemDetails"];

/** A request the gateway refused (any non-2xx answer). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  /** Seconds from a `Retry-After` header (429, 503), when the server sent one. */
  readonly retryAfterS: number | null;

  constructor(status: number, problem: Problem | null, retryAfterS: number | null = null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.retryAfterS = retryAfterS;
  }

  /** The slug of the problem's type (`payload-too-large`, `already-answered`, ...), if any. */
  get slug(): string | null {
    const type = this.problem?.type;
    if (!type || type === "about:blank") return null;
    return type.slice(type.lastIndexOf("/") + 1);
  }
}

const WORDS_BY_SLUG: Record<string, string> = {
  "payload-too-large": "The resume file is too large: it may be at most 5 MB.",
  "unsupported-media-type":
    "That file is not a PDF or Word (DOCX) document. Save your resume as PDF or DOCX and try again.",
  "already-answered": "This question has already been answered.",
  "session-not-ready": "This interview is not ready for answers yet.",
  "cannot-regenerate":
    "The questions can no longer be rewritten: the interview has already begun or finished.",
  "report-not-ready": "The report is not ready yet.",
  "database-busy": "CareerFlow is busy right now. Please try again in a moment.",
  "csrf-token-mismatch":
    "This page's security check is out of date (you may have signed in elsewhere). Reload the page and try again.",
};

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What to tell the person about a failed request, in plain words. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return "CareerFlow could not be reached. Check your connection and try again.";
  }
  if (error.status === 429) {
    const wait = error.retryAfterS;
    return wait
      ? `Too many attempts in a short time. Please wait ${wait} ${wait === 1 ? "second" : "seconds"} and try again.`
      : "Too many attempts in a short time. Please wait a little and try again.";
  }
  const words = error.slug ? WORDS_BY_SLUG[error.slug] : undefined;
  if (words) return words;
  if (error.status === 401) return "You are signed out. Please sign in again.";
  if (error.status === 404) return "This interview does not exist, or it was deleted.";
  if (error.status >= 500) {
    return "CareerFlow had a problem on its side. Please try again in a moment.";
  }
  const detail = error.problem?.detail;
  return detail ? sentence(detail) : `The request was refused (HTTP ${error.status}).`;
}

/**
 * The reason for each bad field of a 422, by the field's own name (`job_description`, `email`):
 * the gateway names them as FastAPI does (`body.email`) or bare (`resume`).
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  if (!(error instanceof ApiError) || error.status !== 422) return found;
  for (const param of error.problem?.invalid_params ?? []) {
    const name = param.name.slice(param.name.lastIndexOf(".") + 1);
    found[name] = sentence(param.reason);
  }
  return found;
}
