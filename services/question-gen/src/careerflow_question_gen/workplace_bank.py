"""The question bank of every job outside the software families (``workplace_questions.json``).

A nurse, an accountant or a teacher is asked about the job's own requirements and the resume's
overlap with them, and gets behavioral questions that suit any workplace. The bank is data, read
once and validated here: every technical template names its subject once, as ``{skill}``, and
renders for any subject; no behavioral question names one; each has three to five points; every
competency has at least four questions; and no text or point uses a software term.

    workplace_bank()                  the validated bank
    technical_templates(origin, form) the templates for a subject of that origin and form
    behavioral_questions()            competency -> questions for any workplace
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from careerflow_question_gen.bank_types import PLACEHOLDER, QuestionTemplate
from careerflow_question_gen.behavioral_bank import COMPETENCIES, MIN_QUESTIONS_PER_COMPETENCY
from careerflow_question_gen.data_files import read_data_file
from careerflow_question_gen.software_terms import software_terms_in
from careerflow_skills import RequirementForm

SubjectOrigin = Literal["both", "job", "resume", "role"]


class Template(QuestionTemplate):
    """One question and the three to five points a strong answer covers, in words that suit
    any workplace."""

    @model_validator(mode="after")
    def _no_software_terms(self) -> Self:
        used = software_terms_in(" ".join((self.text, *self.points)))
        if used:
            raise ValueError(f"a question for any workplace uses software terms {sorted(used)}")
        return self


def _names_its_subject_once(templates: tuple[Template, ...]) -> tuple[Template, ...]:
    for template in templates:
        if template.text.count(PLACEHOLDER) != 1:
            raise ValueError(f"a technical question names {PLACEHOLDER} once: {template.text!r}")
    return templates


TechnicalGroup = Annotated[
    tuple[Template, ...], Field(min_length=3), AfterValidator(_names_its_subject_once)
]


class TechnicalTemplates(BaseModel):
    """The technical templates by the subject's origin and form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    job_topic: TechnicalGroup
    job_duty: TechnicalGroup
    both_topic: TechnicalGroup
    both_duty: TechnicalGroup
    resume: TechnicalGroup
    role: TechnicalGroup


class WorkplaceBank(BaseModel):
    """The whole file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    technical: TechnicalTemplates
    credential_words: tuple[str, ...] = Field(min_length=1)
    behavioral: dict[str, tuple[Template, ...]]

    @model_validator(mode="after")
    def _every_competency_has_four_questions(self) -> Self:
        if set(self.behavioral) != set(COMPETENCIES):
            raise ValueError(f"behavioral questions are per competency: {COMPETENCIES}")
        for competency, questions in self.behavioral.items():
            if len(questions) < MIN_QUESTIONS_PER_COMPETENCY:
                raise ValueError(f"{competency} has fewer than four questions")
            if any(PLACEHOLDER in question.text for question in questions):
                raise ValueError(f"a behavioral question of {competency} names a subject")
        return self


@cache
def workplace_bank() -> WorkplaceBank:
    """The packaged bank, read and validated once."""
    return read_data_file(WorkplaceBank, "workplace_questions.json")


def technical_templates(
    origin: SubjectOrigin, form: RequirementForm
) -> tuple[QuestionTemplate, ...]:
    """The templates for a subject: a requirement of the job (a topic or a duty), one the
    resume shows too, a skill of the resume, or a default subject of the role."""
    groups = workplace_bank().technical
    chosen = {
        ("job", "topic"): groups.job_topic,
        ("job", "duty"): groups.job_duty,
        ("both", "topic"): groups.both_topic,
        ("both", "duty"): groups.both_duty,
    }.get((origin, form)) or (groups.resume if origin == "resume" else groups.role)
    return chosen


def behavioral_questions() -> Mapping[str, tuple[QuestionTemplate, ...]]:
    """Behavioral questions whose wording suits any workplace, per competency."""
    return workplace_bank().behavioral
