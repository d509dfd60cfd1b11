/**
 * What the screens read from a session view: where the candidate is, whether the questions may
 * be asked again, and what each fallback notice means for them. Pure functions of the view.
 */
import type { Notice, QuestionView, SessionStatus, SessionView } from "./api/sessions";

/**
 * The questions of the set written so far, in order (follow-ups are shown under their parents:
 * `followupOf`). They may arrive a few at a time.
 */
export function orderedQuestions(view: SessionView): QuestionView[] {
  return (view.questions ?? []).filter((q) => !q.parent_id).sort((a, b) => a.position - b.position);
}

/** The follow-up the interviewer asked on a question, once written. */
export function followupOf(view: SessionView, question: QuestionView): QuestionView | undefined {
  return (view.questions ?? []).find((q) => q.parent_id === question.id);
}

/** A follow-up still to be answered or skipped. */
export function isOpenFollowup(question: QuestionView): boolean {
  return Boolean(question.parent_id) && !question.answer && !question.skipped;
}

/** Whether the interviewer is writing a follow-up to the question at `position`. */
export function followupBeingWritten(view: SessionView, position: number): boolean {
  return (view.followups_writing ?? []).includes(position);
}

/**
 * The question whose follow-up waits for an answer, the earliest first: the next thing to
 * answer, before any question not answered yet.
 */
export function waitingFollowupParent(view: SessionView): QuestionView | undefined {
  const open = (view.questions ?? []).filter(isOpenFollowup);
  return orderedQuestions(view).find((q) => open.some((f) => f.parent_id === q.id));
}

/** How many questions the set will have, as far as anyone knows yet (follow-ups apart). */
export function expectedTotal(view: SessionView): number {
  const followups = view.progress.followups ?? 0;
  return Math.max(view.progress.total - followups, orderedQuestions(view).length);
}

/**
 * Still writing questions: more may come. The model may write them in batches, and the
 * candidate may be answering the first ones (status `in_progress`) while the rest arrive.
 */
export function isWritingQuestions(view: SessionView): boolean {
  if (view.status === "parsing" || view.status === "generating") return true;
  if (view.status === "completed" || view.status === "failed") return false;
  return orderedQuestions(view).length < expectedTotal(view);
}

/** What the gateway says it is doing now ("Writing questions, 3 of 10"), if anything. */
export function activityWords(view: SessionView): string | null {
  const messages = (view.activity ?? []).map((a) => a.message);
  return messages.length > 0 ? messages.join(" · ") : null;
}

/**
 * The answers being scored now, in the gateway's words ("Scoring answers 2 and 3"), or null
 * when none is.
 */
export function scoringWords(view: SessionView): string | null {
  if ((view.scoring ?? []).length === 0) return null;
  const said = (view.activity ?? []).find((a) => a.stage === "evaluation");
  return said?.message ?? null;
}

/**
 * The AI's pace on the last answer it scored, as the model itself measured it (`model_speed`,
 * stage evaluation), in plain words; null when it gave none.
 */
export function scoringPaceWords(view: SessionView): string | null {
  const speed = (view.model_speed ?? []).find((s) => s.stage === "evaluation");
  const read = wholeRate(speed?.prompt_tokens_per_s);
  const wrote = wholeRate(speed?.output_tokens_per_s);
  const pace =
    read !== null && wrote !== null
      ? `read ${read} and wrote ${wrote} tokens a second`
      : read !== null
        ? `read ${read} tokens a second`
        : wrote !== null
          ? `wrote ${wrote} tokens a second`
          : null;
  return pace ? `On the last answer it scored, the AI ${pace}.` : null;
}

function wholeRate(rate: number | null | undefined): number | null {
  return typeof rate === "number" && Number.isFinite(rate) ? Math.round(rate) : null;
}

/** The candidate may begin once a first question exists, whether or not the rest are written. */
export function canStart(view: SessionView): boolean {
  return view.status !== "failed" && (view.questions?.length ?? 0) > 0;
}

/**
 * The next thing to answer: a question whose follow-up waits, else the first question not
 * answered yet, or the last one when all are.
 */
export function firstUnanswered(view: SessionView): QuestionView | undefined {
  const questions = orderedQuestions(view);
  return waitingFollowupParent(view) ?? questions.find((q) => !q.answer) ?? questions.at(-1);
}

/**
 * Every question answered, and every follow-up answered or skipped; none being written, and no
 * answer still being scored (its score may call for a follow-up).
 */
export function allAnswered(view: SessionView): boolean {
  const questions = view.questions ?? [];
  return (
    !isWritingQuestions(view) &&
    (view.followups_writing ?? []).length === 0 &&
    (view.scoring ?? []).length === 0 &&
    questions.length > 0 &&
    questions.every((q) => (q.answer !== null && q.answer !== undefined) || q.skipped)
  );
}

/** A fallback (or a partial fallback) shaped these questions. */
export function questionsFellBack(view: SessionView): boolean {
  return (
    (view.questions ?? []).some((q) => q.source === "fallback") ||
    (view.notices ?? []).some((n) => n.stage === "questions" && n.code.startsWith("ai_"))
  );
}

/**
 * "Try the AI again" is offered when the questions came (partly) from the fallback and nothing
 * is answered yet: the gateway refuses a regenerate once answering has begun.
 */
export function canRegenerate(view: SessionView): boolean {
  return (
    (view.status === "generating" || view.status === "ready") &&
    view.progress.answered === 0 &&
    questionsFellBack(view)
  );
}

/** The notice that explains a stage's fallback (its reason, in the gateway's words), if any. */
export function fallbackNotice(view: SessionView, stage: Notice["stage"]): Notice | undefined {
  return (view.notices ?? []).find((n) => n.stage === stage && n.code.startsWith("ai_"));
}

const MEANING_BY_STAGE: Record<Notice["stage"], string> = {
  resume:
    "Your resume was read without the AI: the skills it found may be fewer, so the questions can be less personal.",
  questions:
    "These are standard questions for the role and the skills found, not written from your resume by the AI. They are still good practice.",
  evaluation:
    "Scores marked “automatic estimate” come from a fixed check of your answer (its length, structure and the points it covers), not from the AI's reading of it.",
  followup:
    "Follow-up questions were put together from the points your answers left out, not written by the AI.",
  report:
    "The report's words were put together automatically from your scores; the numbers are the same as the AI would use.",
  session: "Some parts of this interview were made without the AI.",
};

/** What a notice means for the candidate, beyond the gateway's own words, or null. */
export function noticeMeaning(notice: Notice): string | null {
  if (notice.code === "ai_partial") {
    return "Most questions were written by the AI; a few standard ones filled the gaps.";
  }
  if (notice.code === "ai_unreadable_input") {
    return "No text could be read from the resume (a scanned image, a protected or damaged file). Questions are general ones for the role; a PDF or DOCX saved from a word processor works best.";
  }
  return notice.code.startsWith("ai_") ? MEANING_BY_STAGE[notice.stage] : null;
}

const STATUS_WORDS: Record<SessionStatus, string> = {
  parsing: "Reading the resume",
  generating: "Writing the questions",
  ready: "Ready to start",
  in_progress: "In progress",
  completed: "Completed",
  failed: "Could not be prepared",
};

export function statusWords(status: SessionStatus): string {
  return STATUS_WORDS[status];
}

/** Words in a text, as a person counts them. */
export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/u).length;
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
});

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** A score on 0-100, as shown: whole numbers. */
export function percent(score: number): string {
  return `${Math.round(score)}`;
}
