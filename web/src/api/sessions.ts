/**
 * The interview calls of the gateway's REST API, through the generated, typed client.
 */
import type { components } from "../client/schema";
import { api, unwrap } from "./http";

export type SessionView = components["schemas"]["SessionView"];
export type SessionSummary = components["schemas"]["SessionSummary"];
export type SessionPage = components["schemas"]["SessionPage"];
export type QuestionView = components["schemas"]["QuestionView"];
export type EvaluationView = components["schemas"]["EvaluationView"];
export type ReportView = components["schemas"]["ReportView"];
/** The report's numbers, there before its words (`report_numbers`), and part of the report. */
export type ReportNumbers = components["schemas"]["ReportNumbersView"];
export type Notice = components["schemas"]["Notice"];
export type Rubric = components["schemas"]["Rubric"];
export type Source = QuestionView["source"];
export type SessionStatus = SessionView["status"];

/** The largest resume the gateway takes (5 MiB, counted while it streams). */
export const RESUME_MAX_BYTES = 5 * 1024 * 1024;
export const JOB_DESCRIPTION_MAX = 20_000;
export const TARGET_ROLE_MAX = 200;
export const ANSWER_MAX = 10_000;

export interface NewSession {
  resume: File;
  jobDescription: string;
  targetRole: string;
  /** The same key for every retry of one submission: the gateway then makes one session. */
  idempotencyKey: string;
}

export function createSession(input: NewSession): Promise<SessionView> {
  return unwrap(
    api.POST("/v1/sessions", {
      params: { header: { "Idempotency-Key": input.idempotencyKey } },
      body: {
        resume: input.resume,
        job_description: input.jobDescription,
        target_role: input.targetRole,
      },
      bodySerializer(body) {
        const form = new FormData();
        form.append("resume", body.resume as Blob, input.resume.name);
        form.append("job_description", body.job_description);
        form.append("target_role", body.target_role);
        // This app shows follow-up questions: the interviewer may ask them.
        form.append("followups", "true");
        return form;
      },
    }),
  );
}

export function listSessions(cursor: string | null): Promise<SessionPage> {
  return unwrap(
    api.GET("/v1/sessions", { params: { query: cursor ? { cursor, limit: 20 } : { limit: 20 } } }),
  );
}

export function getSession(id: string): Promise<SessionView> {
  return unwrap(api.GET("/v1/sessions/{session_id}", { params: { path: { session_id: id } } }));
}

export function getReport(id: string): Promise<ReportView> {
  return unwrap(
    api.GET("/v1/sessions/{session_id}/report", { params: { path: { session_id: id } } }),
  );
}

export function answerQuestion(id: string, questionId: string, text: string): Promise<SessionView> {
  return unwrap(
    api.POST("/v1/sessions/{session_id}/answers", {
      params: { path: { session_id: id } },
      body: { question_id: questionId, text },
    }),
  );
}

/** Skip a follow-up question: recorded as skipped, not scored. */
export function skipFollowup(id: string, questionId: string): Promise<SessionView> {
  return unwrap(
    api.POST("/v1/sessions/{session_id}/questions/{question_id}/skip", {
      params: { path: { session_id: id, question_id: questionId } },
    }),
  );
}

export function regenerateQuestions(id: string): Promise<SessionView> {
  return unwrap(
    api.POST("/v1/sessions/{session_id}/regenerate", { params: { path: { session_id: id } } }),
  );
}

export async function deleteSession(id: string): Promise<void> {
  await unwrap(api.DELETE("/v1/sessions/{session_id}", { params: { path: { session_id: id } } }));
}

/** The address of the session's event stream (Server-Sent Events of the session view). */
export function sessionEventsUrl(id: string): string {
  return `/v1/sessions/${encodeURIComponent(id)}/events`;
}

export const FINAL_STATUSES: ReadonlySet<SessionStatus> = new Set(["completed", "failed"]);

/**
 * The newer of two views of one session. The event stream and the answers' responses can
 * arrive out of order; a view never replaces one that was updated later.
 */
export function newerView(current: SessionView | undefined, incoming: SessionView): SessionView {
  if (!current) return incoming;
  return Date.parse(incoming.updated_at) >= Date.parse(current.updated_at) ? incoming : current;
}
