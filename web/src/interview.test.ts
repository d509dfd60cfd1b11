import {
  allAnswered,
  canRegenerate,
  canStart,
  firstUnanswered,
  isWritingQuestions,
  scoringPaceWords,
  scoringWords,
  wordCount,
} from "./interview";
import { FALLBACK_QUESTIONS_NOTICE, question, questions, sessionView } from "./test/fixtures";

describe("reading a session view", () => {
  test("the AI may be asked again only while nothing is answered", () => {
    const fellBack = (answered: number, status: "generating" | "ready") =>
      sessionView({
        status,
        questions: questions(answered).map((q) => ({ ...q, source: "fallback" as const })),
        notices: [FALLBACK_QUESTIONS_NOTICE],
      });
    expect(canRegenerate(fellBack(0, "ready"))).toBe(true);
    expect(canRegenerate(fellBack(0, "generating"))).toBe(true);
    // The model writes in batches: the first answers may come while the rest is written.
    expect(canRegenerate(fellBack(1, "generating"))).toBe(false);
    expect(canRegenerate(sessionView({ status: "ready", questions: questions() }))).toBe(false);
  });

  test("questions still to come, whatever the status says", () => {
    const oneOfTen = sessionView({ status: "in_progress", questions: [question(1)] });
    expect(isWritingQuestions(oneOfTen)).toBe(true);
    expect(canStart(oneOfTen)).toBe(true);
    expect(
      allAnswered(sessionView({ status: "in_progress", questions: questions(1).slice(0, 1) })),
    ).toBe(false);
    expect(allAnswered(sessionView({ status: "in_progress", questions: questions(10) }))).toBe(
      true,
    );
    expect(canStart(sessionView({ status: "generating", questions: [] }))).toBe(false);
  });

  test("the candidate resumes at the first question not answered", () => {
    expect(firstUnanswered(sessionView({ questions: questions(3) }))?.position).toBe(4);
    expect(firstUnanswered(sessionView({ questions: questions(10) }))?.position).toBe(10);
  });

  test("words are counted as a person counts them", () => {
    expect(wordCount("")).toBe(0);
    expect(wordCount("  one\n\ttwo   three ")).toBe(3);
  });

  test("the answers being scored, in the gateway's words", () => {
    const scoring = sessionView({
      status: "in_progress",
      questions: questions(3, false),
      scoring: [2, 3],
      activity: [{ stage: "evaluation", message: "Scoring answers 2 and 3" }],
    });
    expect(scoringWords(scoring)).toBe("Scoring answers 2 and 3");
    expect(scoringWords(sessionView({ status: "in_progress", questions: questions(3) }))).toBe(
      null,
    );
  });

  test("the AI's pace on the last answer it scored, as far as the model said it", () => {
    const at = "2026-05-03T10:05:00Z";
    const paced = (prompt: number | null, output: number | null) =>
      scoringPaceWords(
        sessionView({
          model_speed: [
            {
              stage: "evaluation",
              prompt_tokens_per_s: prompt,
              output_tokens_per_s: output,
              measured_at: at,
            },
          ],
        }),
      );
    expect(paced(61.2, 14.8)).toBe(
      "On the last answer it scored, the AI read 61 and wrote 15 tokens a second.",
    );
    expect(paced(null, 14.8)).toBe(
      "On the last answer it scored, the AI wrote 15 tokens a second.",
    );
    expect(paced(61.2, null)).toBe("On the last answer it scored, the AI read 61 tokens a second.");
    expect(paced(null, null)).toBe(null);
    expect(scoringPaceWords(sessionView())).toBe(null);
  });
});
