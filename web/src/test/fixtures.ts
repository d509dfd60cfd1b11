/**
 * Session views as the gateway sends them, built from small overrides.
 */
import type { Account } from "../api/accounts";
import type {
  EvaluationView,
  Notice,
  QuestionView,
  ReportView,
  SessionView,
} from "../api/sessions";

export const SESSION_ID = "5b8c6f7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
export const ACCOUNT: Account = { id: "acc-1", email: "tamsin@example.com" };

let clock = Date.parse("2026-05-03T10:00:00Z");

/** A later timestamp at each call, as the gateway's `updated_at` moves. */
export function later(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

export function question(position: number, overrides: Partial<QuestionView> = {}): QuestionView {
  return {
    id: `q-${position}`,
    position,
    kind: position % 2 === 1 ? "technical" : "behavioral",
    skill: position % 2 === 1 ? "PostgreSQL" : null,
    difficulty: "medium",
    text: `Question number ${position}: tell me about it.`,
    source: "ai",
    answer: null,
    parent_id: null,
    skipped: false,
    ...overrides,
  };
}

export function evaluation(overrides: Partial<EvaluationView> = {}): EvaluationView {
  return {
    score: 7,
    rubric: { relevance: 8, depth: 6, structure: 7, specificity: 5 },
    feedback: "A clear answer with one concrete example.",
    strengths: ["Named the trade-off"],
    improvements: ["Say what you measured"],
    reference_answer: "Indexes, the query plan, and what changed after.",
    source: "ai",
    flags: [],
    ...overrides,
  };
}

export const FALLBACK_QUESTIONS_NOTICE: Notice = {
  level: "warning",
  stage: "questions",
  code: "ai_connection_error",
  message: "The AI service could not be reached; default questions were used.",
};

export const FALLBACK_EVALUATION_NOTICE: Notice = {
  level: "warning",
  stage: "evaluation",
  code: "ai_timeout",
  message: "The AI took too long to answer; your answer was scored automatically.",
};

export function report(overrides: Partial<ReportView> = {}): ReportView {
  return {
    overall_score: 72.4,
    by_kind: { technical: 80, behavioral: 64.8 },
    skill_match: { matched: ["Python", "PostgreSQL"], missing: ["Kubernetes"], score: 66.7 },
    summary: "Solid technical depth; behavioral answers need more specifics.",
    strengths: ["Clear structure"],
    improvements: ["Quantify results"],
    source: "ai",
    ...overrides,
  };
}

export function sessionView(overrides: Partial<SessionView> = {}): SessionView {
  const questions = overrides.questions ?? [];
  return {
    id: SESSION_ID,
    status: "ready",
    target_role: "Senior Backend Engineer",
    created_at: "2026-05-03T09:59:00Z",
    updated_at: later(),
    profile: {
      skills: ["Python", "PostgreSQL", "RabbitMQ"],
      years_experience: 6,
      titles: ["Backend Engineer"],
      education: [],
      summary: null,
      source: "ai",
    },
    questions,
    progress: {
      answered: questions.filter((q) => q.answer).length,
      evaluated: questions.filter((q) => q.answer?.evaluation).length,
      total: 10,
      written: questions.length,
      followups: 0,
      skipped: 0,
    },
    notices: [],
    report: null,
    ...overrides,
  };
}

/** Ten questions, the first `answered` of them answered (and scored when `scored`). */
export function questions(answered = 0, scored = true): QuestionView[] {
  return Array.from({ length: 10 }, (_, i) =>
    question(i + 1, {
      answer:
        i < answered
          ? {
              text: `My answer to ${i + 1}`,
              submitted_at: "2026-05-03T10:05:00Z",
              evaluation: scored ? evaluation() : null,
            }
          : null,
    }),
  );
}
