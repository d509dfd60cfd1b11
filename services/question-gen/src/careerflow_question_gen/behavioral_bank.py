"""The behavioral question bank (``behavioral_questions.json``): questions per competency, some
written for one role family.

The bank is data, read once and validated here: every competency has at least four questions
for any role, so that up to 32 distinct behavioral questions exist for every family; a family's
own questions (preferred when the family matches) are about the bank's competencies; no
question names a ``{skill}``.

    behavioral_bank()       the validated bank
    COMPETENCIES            the competencies, in the file's order
    BEHAVIORAL_QUESTIONS    competency -> questions for any role
    FAMILY_QUESTIONS        role family -> competency -> questions in the family's own setting
"""

from __future__ import annotations

from functools import cache
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from careerflow_question_gen.bank_types import PLACEHOLDER, QuestionTemplate
from careerflow_question_gen.data_files import read_data_file
from careerflow_question_gen.roles import RoleFamily

MIN_QUESTIONS_PER_COMPETENCY = 4


class BehavioralBank(BaseModel):
    """The whole file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    questions: dict[str, tuple[QuestionTemplate, ...]]
    family_questions: dict[RoleFamily, dict[str, tuple[QuestionTemplate, ...]]]

    @model_validator(mode="after")
    def _every_competency_has_four_questions(self) -> Self:
        for competency, questions in self.questions.items():
            if len(questions) < MIN_QUESTIONS_PER_COMPETENCY:
                raise ValueError(f"{competency} has fewer than four questions")
        for family, own in self.family_questions.items():
            unknown = set(own) - set(self.questions)
            if unknown:
                raise ValueError(f"{family} has questions for unknown competencies {unknown}")
        every = [
            *(q for qs in self.questions.values() for q in qs),
            *(q for own in self.family_questions.values() for qs in own.values() for q in qs),
        ]
        for question in every:
            if PLACEHOLDER in question.text or any(PLACEHOLDER in p for p in question.points):
                raise ValueError(f"a behavioral question names a subject: {question.text!r}")
        return self


@cache
def behavioral_bank() -> BehavioralBank:
    """The packaged bank, read and validated once."""
    return read_data_file(BehavioralBank, "behavioral_questions.json")


COMPETENCIES: tuple[str, ...] = tuple(behavioral_bank().questions)
BEHAVIORAL_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = behavioral_bank().questions
FAMILY_QUESTIONS: dict[RoleFamily, dict[str, tuple[QuestionTemplate, ...]]] = (
    behavioral_bank().family_questions
)
