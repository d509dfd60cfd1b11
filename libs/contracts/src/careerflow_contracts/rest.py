"""Bodies of the gateway's REST API (v1): the session view, its parts, and problem details."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, Field

from careerflow_contracts.common import (
    ContractModel,
    Difficulty,
    Notice,
    QuestionKind,
    Source,
)
from careerflow_contracts.events import ByKind, SkillMatch
from careerflow_contracts.models import EvaluationFlag, Rubric

SessionStatus = Literal["parsing", "generating", "ready", "in_progress", "completed", "failed"]


class ProfileView(ContractModel):
    skills: list[str] = Field(default_factory=list)
    years_experience: float | None = None
    titles: list[str] = Field(default_factory=list)
    education: list[str] = Field(default_factory=list)
    summary: str | None = None
    source: Source


class EvaluationView(ContractModel):
    score: int = Field(ge=0, le=10)
    rubric: Rubric
    feedback: str
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    reference_answer: str = ""
    source: Source
    flags: list[EvaluationFlag] = Field(default_factory=list)


class AnswerView(ContractModel):
    text: str
    submitted_at: AwareDatetime
    evaluation: EvaluationView | None = None


class QuestionView(ContractModel):
    id: uuid.UUID
    position: int
    kind: QuestionKind
    skill: str | None = None
    difficulty: Difficulty = "medium"
    text: str
    source: Source
    answer: AnswerView | None = None


class Progress(ContractModel):
    answered: int = Field(ge=0)
    evaluated: int = Field(ge=0)
    total: int = Field(ge=0)


class ReportView(ContractModel):
    overall_score: float = Field(ge=0, le=100)
    by_kind: ByKind
    skill_match: SkillMatch
    summary: str
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    source: Source


class SessionView(ContractModel):
    id: uuid.UUID
    status: SessionStatus
    target_role: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    profile: ProfileView | None = None
    questions: list[QuestionView] = Field(default_factory=list)
    progress: Progress
    notices: list[Notice] = Field(default_factory=list)
    report: ReportView | None = None


class SessionSummary(ContractModel):
    """One line of ``GET /v1/sessions``."""

    id: uuid.UUID
    status: SessionStatus
    target_role: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    progress: Progress


class SessionPage(ContractModel):
    items: list[SessionSummary]
    next_cursor: str | None = None


class AnswerCreate(ContractModel):
    """Body of ``POST /v1/sessions/{id}/answers``."""

    question_id: uuid.UUID
    text: str = Field(min_length=1, max_length=10_000)


class InvalidParam(ContractModel):
    """One field that failed validation, as an RFC 9457 extension member."""

    name: str
    reason: str


class ProblemDetails(ContractModel):
    """An error body, ``application/problem+json`` (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    instance: str | None = None
    invalid_params: list[InvalidParam] | None = None
