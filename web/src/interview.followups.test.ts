import type { QuestionView } from "./api/sessions";
import { allAnswered, expectedTotal, firstUnanswered, orderedQuestions } from "./interview";
import { evaluation, question, questions, sessionView } from "./test/fixtures";

const scored = { text: "Thin.", submitted_at: "2026-05-03T10:05:00Z", evaluation: evaluation() };

function followupOn(position: number, overrides: Partial<QuestionView> = {}): QuestionView {
  return question(position, { id: `f-${position}`, parent_id: `q-${position}`, ...overrides });
}

function allScored(): QuestionView[] {
  return questions().map((q) => ({ ...q, answer: scored }));
}

const ELEVEN = { answered: 10, evaluated: 10, total: 11, written: 11, followups: 1, skipped: 0 };

describe("follow-ups in the view", () => {
  test("the set is the questions without a parent; the follow-ups do not count in its size", () => {
    const view = sessionView({
      status: "in_progress",
      questions: [...allScored(), followupOn(3)],
      progress: ELEVEN,
    });
    expect(orderedQuestions(view).map((q) => q.id)).toEqual(questions().map((q) => q.id));
    expect(expectedTotal(view)).toBe(10);
  });

  test("a follow-up waiting is the next thing to answer, before a question not answered", () => {
    const view = sessionView({
      status: "in_progress",
      questions: [
        question(1, { answer: scored }),
        question(2, { answer: scored }),
        followupOn(2),
        ...questions().slice(2),
      ],
      progress: { ...ELEVEN, answered: 2, evaluated: 2 },
    });
    expect(firstUnanswered(view)?.id).toBe("q-2");
  });

  test("the report waits for every follow-up to be answered or skipped, and none written", () => {
    const open = { status: "in_progress" as const, progress: ELEVEN };
    expect(allAnswered(sessionView({ ...open, questions: [...allScored(), followupOn(3)] }))).toBe(
      false,
    );
    const skipped = [...allScored(), followupOn(3, { skipped: true })];
    expect(allAnswered(sessionView({ ...open, questions: skipped }))).toBe(true);
    const answered = [...allScored(), followupOn(3, { answer: scored })];
    expect(allAnswered(sessionView({ ...open, questions: answered }))).toBe(true);
    expect(
      allAnswered(sessionView({ ...open, questions: allScored(), followups_writing: [4] })),
    ).toBe(false);
    // An answer still being scored may call for a follow-up.
    expect(allAnswered(sessionView({ ...open, questions: allScored(), scoring: [10] }))).toBe(
      false,
    );
  });
});
