"""The deterministic fallback: questions for a role and a job, written from the banks.

``fallback_questions(payload, seed)`` gives the whole set; ``top_up(plan, technical,
behavioral)`` completes the usable part of a model's answer with the fallback's questions, and
``fallback_rest`` gives only the questions it adds (for a set whose first part is published).

Technical questions go through the skills of ``select_skills`` in order, one question per skill
before any skill gets a second; a skill's questions are the bank's own for it, then its
category's templates, and a subject of a job outside the software families takes the workplace
bank's templates for its origin and form ("This role would have you titrate vasoactive
infusions..."). Behavioral questions cover distinct competencies before any repeats, with the
role family's own questions preferred; a job outside the software families gets the workplace
bank's, worded for any workplace. The session's seed drives every choice, so the same request
gives the same questions and another session gets others.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from careerflow_contracts import Difficulty, Question, QuestionsRequestedPayload
from careerflow_question_gen.bank_types import QuestionTemplate
from careerflow_question_gen.behavioral_bank import (
    BEHAVIORAL_QUESTIONS,
    COMPETENCIES,
    FAMILY_QUESTIONS,
)
from careerflow_question_gen.drafts import QuestionDraft, normalised_text
from careerflow_question_gen.plan import QuestionPlan, plan_questions
from careerflow_question_gen.roles import FAMILY_SPECS, RoleFamily
from careerflow_question_gen.skill_selection import WORKPLACE_CATEGORY, SkillChoice
from careerflow_question_gen.technical_bank import CATEGORY_QUESTIONS, SKILL_QUESTIONS, skill_key
from careerflow_question_gen.workplace_bank import behavioral_questions, technical_templates

T = TypeVar("T")


class BankExhausted(RuntimeError):
    """The banks hold fewer distinct questions than were asked for (a bug in the bank data)."""


def question_seed(session_id: uuid.UUID, generation: int) -> str:
    """The seed of a session's questions: stable across redeliveries, new per regeneration."""
    return f"{session_id}:{generation}"


def fallback_questions(payload: QuestionsRequestedPayload, seed: str) -> list[Question]:
    """The whole set from the banks, technical first, numbered 1..count."""
    plan = plan_questions(payload, seed)
    return [draft.numbered(position) for position, draft in enumerate(top_up(plan), start=1)]


def top_up(
    plan: QuestionPlan,
    technical: Sequence[QuestionDraft] = (),
    behavioral: Sequence[QuestionDraft] = (),
) -> list[QuestionDraft]:
    """The plan's set: the given questions of each kind, then the fallback's up to the counts.

    Given questions are kept as they are, in order; the fallback skips their texts and turns
    first to skills they do not cover. Technical questions come first.
    """
    technical = list(technical[: plan.technical_count])
    behavioral = list(behavioral[: plan.behavioral_count])
    more_technical, more_behavioral = fallback_rest(plan, technical, behavioral)
    return technical + more_technical + behavioral + more_behavioral


def fallback_rest(
    plan: QuestionPlan,
    technical: Sequence[QuestionDraft] = (),
    behavioral: Sequence[QuestionDraft] = (),
) -> tuple[list[QuestionDraft], list[QuestionDraft]]:
    """The fallback's technical and behavioral questions that complete the plan after the given
    ones (the model's, already published, perhaps answered): none alike, uncovered skills first.
    """
    rng = random.Random(f"{plan.seed}:fallback")
    taken = {normalised_text(draft.text) for draft in (*technical, *behavioral)}
    covered = {skill_key(draft.skill) for draft in technical if draft.skill}
    skills = [s for s in plan.skills if s.key not in covered]
    skills += [s for s in plan.skills if s.key in covered]
    more_technical = fallback_technical(
        skills, plan.difficulty, plan.technical_count - len(technical), rng, taken
    )
    more_behavioral = fallback_behavioral(
        plan.family, plan.difficulty, plan.behavioral_count - len(behavioral), rng, taken
    )
    return more_technical, more_behavioral


def fallback_technical(
    skills: Sequence[SkillChoice],
    difficulty: Difficulty,
    count: int,
    rng: random.Random,
    taken: set[str],
) -> list[QuestionDraft]:
    """``count`` technical questions on ``skills`` in order; adds their texts to ``taken``."""
    return _untaken(_technical(skills, difficulty, rng), count, taken, "technical")


def fallback_behavioral(
    family: RoleFamily,
    difficulty: Difficulty,
    count: int,
    rng: random.Random,
    taken: set[str],
) -> list[QuestionDraft]:
    """``count`` behavioral questions over distinct competencies; adds their texts to ``taken``."""
    return _untaken(_behavioral(family, difficulty, rng), count, taken, "behavioral")


def _technical(
    skills: Sequence[SkillChoice], difficulty: Difficulty, rng: random.Random
) -> Iterator[QuestionDraft]:
    """The technical candidates, one per skill before any skill gets a second."""
    queues = [[(skill, template) for template in _skill_templates(skill, rng)] for skill in skills]
    for skill, template in _round_robin(queues):
        text, points = template.render(skill.name)
        yield QuestionDraft("technical", skill.name, difficulty, text, tuple(points), "fallback")


def _behavioral(
    family: RoleFamily, difficulty: Difficulty, rng: random.Random
) -> Iterator[QuestionDraft]:
    """The behavioral candidates, one per competency (in a shuffled order) before any repeats,
    the family's own questions first."""
    competencies = list(COMPETENCIES)
    rng.shuffle(competencies)
    own = FAMILY_QUESTIONS.get(family, {})
    bank = BEHAVIORAL_QUESTIONS if FAMILY_SPECS[family].software else behavioral_questions()
    queues = [
        _shuffled(own.get(competency, ()), rng) + _shuffled(bank[competency], rng)
        for competency in competencies
    ]
    for template in _round_robin(queues):
        yield QuestionDraft(
            "behavioral", None, difficulty, template.text, template.points, "fallback"
        )


def _untaken(
    candidates: Iterator[QuestionDraft], count: int, taken: set[str], kind: str
) -> list[QuestionDraft]:
    """The first ``count`` candidates whose text is unlike every one ``taken``, each added to it
    in turn; ``BankExhausted`` when the candidates run out first.

    The candidates are a generator that has not begun: with none wanted it is never started,
    so asking for none draws nothing from the random numbers the questions drawn after share.
    """
    if count <= 0:
        return []
    drafts: list[QuestionDraft] = []
    for draft in candidates:
        if _take(draft.text, taken):
            drafts.append(draft)
            if len(drafts) == count:
                return drafts
    raise BankExhausted(f"only {len(drafts)} of {count} {kind} questions could be written")


def _round_robin(queues: Sequence[Sequence[T]]) -> Iterator[T]:
    """The first item of every queue, then the second of every queue, and so on: one question
    per skill or competency before any gets a second."""
    for round_index in range(max(map(len, queues), default=0)):
        for queue in queues:
            if round_index < len(queue):
                yield queue[round_index]


def _skill_templates(skill: SkillChoice, rng: random.Random) -> list[QuestionTemplate]:
    if skill.category == WORKPLACE_CATEGORY:
        return _shuffled(technical_templates(skill.origin, skill.form), rng)
    # The bank's own questions for the skill are the most concrete, so they come first.
    return _shuffled(SKILL_QUESTIONS.get(skill.key, ()), rng) + _shuffled(
        CATEGORY_QUESTIONS[skill.category], rng
    )


def _shuffled(templates: Iterable[QuestionTemplate], rng: random.Random) -> list[QuestionTemplate]:
    items = list(templates)
    rng.shuffle(items)
    return items


def _take(text: str, taken: set[str]) -> bool:
    key = normalised_text(text)
    if key in taken:
        return False
    taken.add(key)
    return True
