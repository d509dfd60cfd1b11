"""Judging the model's questions one by one against the request.

A question is usable when its text is a sensible length and not like another's, it has three to
five real expected points, and, if technical, it is about a skill the plan allows (the job's or
the resume's). Unusable questions are dropped and counted; the rest are kept in the model's
order, up to the number asked for of each kind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from careerflow_question_gen.drafts import QuestionDraft, normalised_text
from careerflow_question_gen.model_output import ModelQuestion
from careerflow_question_gen.plan import QuestionPlan
from careerflow_question_gen.technical_bank import skill_key

MIN_TEXT_CHARS = 25
MAX_TEXT_CHARS = 400
MIN_TEXT_WORDS = 5
MIN_POINTS = 3
MAX_POINTS = 5
MIN_POINT_CHARS = 2
MAX_POINT_CHARS = 160


@dataclass
class Screening:
    """The usable questions of one answer, and why the others were dropped."""

    technical: list[QuestionDraft] = field(default_factory=list)
    behavioral: list[QuestionDraft] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)

    @property
    def usable(self) -> int:
        return len(self.technical) + len(self.behavioral)


class Screener:
    """Judges the model's questions one at a time, in the order it wrote them: each against the
    plan and the questions kept before it (``streamed_questions.QuestionStream`` gives it each
    question of an answer once, as the model writes it or from the whole answer)."""

    def __init__(self, plan: QuestionPlan) -> None:
        self.plan = plan
        self.screening = Screening()
        self._allowed = plan.allowed_skills()
        self._seen: set[str] = set()

    def take(self, question: ModelQuestion) -> QuestionDraft | None:
        """The question as a draft when it is usable and its kind still has room, else None."""
        text = " ".join(question.text.split())
        problem = _text_problem(text, self._seen)
        points = _points(question.expected_points)
        if problem is None and not MIN_POINTS <= len(points) <= MAX_POINTS:
            problem = "expected_points"
        skill: str | None = None
        if problem is None and question.kind == "technical":
            choice = self._allowed.get(skill_key(question.skill or ""))
            if choice is None:
                problem = "skill"
            else:
                skill = choice.name
        if problem is not None:
            self.refuse(problem)
            return None
        self._seen.add(normalised_text(text))
        draft = _draft(question, skill, text, points)
        plan, screening = self.plan, self.screening
        target = screening.technical if draft.kind == "technical" else screening.behavioral
        limit = plan.technical_count if draft.kind == "technical" else plan.behavioral_count
        if len(target) >= limit:
            return None
        target.append(draft)
        return draft

    def refuse(self, problem: str) -> None:
        """Count a question dropped for ``problem``."""
        self.screening.rejected[problem] += 1


def _text_problem(text: str, seen: set[str]) -> str | None:
    if not MIN_TEXT_CHARS <= len(text) <= MAX_TEXT_CHARS:
        return "length"
    if len(text.split()) < MIN_TEXT_WORDS:
        return "length"
    if "{" in text or "}" in text:
        return "template"  # a placeholder or JSON left in the text
    if normalised_text(text) in seen:
        return "duplicate"
    return None


def _points(raw: list[str]) -> tuple[str, ...]:
    points: list[str] = []
    seen: set[str] = set()
    for point in raw:
        cleaned = " ".join(point.split()).strip(" -*•")
        key = normalised_text(cleaned)
        if MIN_POINT_CHARS <= len(cleaned) <= MAX_POINT_CHARS and key and key not in seen:
            seen.add(key)
            points.append(cleaned)
    # More than five are trimmed rather than rejected: the first ones are the model's best.
    return tuple(points[:MAX_POINTS]) if len(points) >= MIN_POINTS else tuple(points)


def _draft(
    question: ModelQuestion, skill: str | None, text: str, points: tuple[str, ...]
) -> QuestionDraft:
    return QuestionDraft(
        kind=question.kind,
        skill=skill if question.kind == "technical" else None,
        difficulty=question.difficulty,
        text=text,
        expected_points=points,
        source="ai",
    )
