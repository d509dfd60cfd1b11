"""Domain models that travel both in events and in the REST API.

``ResumeProfile`` is what the parser read off a resume, and ``CandidateProfile`` the part of it
that leaves the parser (no contact details); ``Question`` what the generator wrote;
``Rubric`` and ``Evaluation`` (with its ``EvaluationFlag``s) what the evaluator made of one
answer.

Their text is ``StorableText``: what the model (or a resume) wrote, cleaned of the characters
Postgres cannot store, so a stray NUL never costs a result.
"""

from __future__ import annotations

from typing import Self

from pydantic import ConfigDict, Field, model_validator

from careerflow_contracts.common import ContractModel, Difficulty, QuestionKind, Source
from careerflow_contracts.text import StorableText

RUBRIC_WEIGHTS = {"relevance": 0.35, "depth": 0.25, "structure": 0.2, "specificity": 0.2}


class CandidateProfile(ContractModel):
    """What a resume says about its author's work: all that events carry of a resume's reading.

    Given a ``ResumeProfile``, a field of this type keeps this part only (the instance is
    validated again as this class), so contact details cannot travel by mistake.
    """

    model_config = ConfigDict(revalidate_instances="subclass-instances")

    skills: list[StorableText] = Field(default_factory=list)
    years_experience: float | None = Field(default=None, ge=0, le=70)
    titles: list[StorableText] = Field(default_factory=list)
    education: list[StorableText] = Field(default_factory=list)
    summary: StorableText | None = None
    source: Source = "fallback"


class ResumeProfile(CandidateProfile):
    """The resume parser's own reading, contact details included. They are never logged and
    never leave the parser: no other service uses them."""

    full_name: StorableText | None = None
    email: StorableText | None = None


class Question(ContractModel):
    """One interview question, with the points a strong answer covers."""

    position: int = Field(ge=1, le=50)
    kind: QuestionKind
    skill: StorableText | None = None
    difficulty: Difficulty = "medium"
    text: StorableText = Field(min_length=10, max_length=1000)
    expected_points: list[StorableText] = Field(default_factory=list)
    source: Source = "fallback"


class Rubric(ContractModel):
    """The four rubric dimensions, each 0-10."""

    relevance: int = Field(ge=0, le=10)
    depth: int = Field(ge=0, le=10)
    structure: int = Field(ge=0, le=10)
    specificity: int = Field(ge=0, le=10)

    def score(self) -> int:
        """The answer's overall 0-10 score: a weighted mean of the dimensions, computed in code."""
        total: float = sum(getattr(self, name) * weight for name, weight in RUBRIC_WEIGHTS.items())
        return int(max(0, min(10, round(total))))


class EvaluationFlag(ContractModel):
    """Something the evaluator's own checks found about one answer or the model's verdict on it.

    Codes: ``score_capped`` (the model's score disagreed with the automatic check by too much
    and was lowered; the message says from what, to what and why) and ``instructions_in_answer``
    (the answer contains text addressed to the evaluator; it was assessed, not followed).
    Readers show the message and ignore codes they do not know.
    """

    code: StorableText = Field(min_length=1, max_length=64)
    message: StorableText = Field(min_length=1, max_length=500)


class Evaluation(ContractModel):
    """The evaluator's verdict on one answer. ``score`` is always ``rubric.score()``."""

    score: int = Field(ge=0, le=10)
    rubric: Rubric
    feedback: StorableText
    strengths: list[StorableText] = Field(default_factory=list)
    improvements: list[StorableText] = Field(default_factory=list)
    reference_answer: StorableText = ""
    source: Source = "fallback"
    flags: list[EvaluationFlag] = Field(default_factory=list)

    @model_validator(mode="after")
    def _score_is_computed(self) -> Self:
        if self.score != self.rubric.score():
            raise ValueError(f"score {self.score} is not the rubric's {self.rubric.score()}")
        return self
