"""Bodies of the gateway's REST API (v1): the session view, its parts, and problem details.

``UserText`` is the type of every text a person sends: it refuses control characters other
than tab and line breaks (NUL above all, which Postgres cannot store) and lone surrogates (which
no UTF-8 encoder can write), naming the first one found; ``careerflow_contracts.text`` defines
those characters, for this refusal and for the cleaning of the text workers write.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, AwareDatetime, Field, model_validator
from pydantic_core import PydanticCustomError

from careerflow_contracts.common import (
    ContractModel,
    Difficulty,
    Notice,
    QuestionKind,
    Source,
    Stage,
)
from careerflow_contracts.events import ANSWER_MAX, ByKind, SkillMatch
from careerflow_contracts.models import EvaluationFlag, Rubric
from careerflow_contracts.text import unstorable_character

SessionStatus = Literal["parsing", "generating", "ready", "in_progress", "completed", "failed"]

USER_TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
"""The rule as a JSON Schema ``pattern`` (ECMA-262), for clients; surrogates cannot be written."""


def _refuse_unstorable(text: str) -> str:
    reason = unstorable_character(text)
    if reason is not None:
        raise PydanticCustomError("unstorable_character", reason)
    return text


UserText = Annotated[
    str,
    AfterValidator(_refuse_unstorable),
    Field(json_schema_extra={"pattern": USER_TEXT_PATTERN}),
]
"""Text a person typed: anything but control characters (tab and line breaks are fine)."""


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
    """One question of the interview. A follow-up has the ``parent_id`` of the question it
    follows up and that question's ``position``; it may be ``skipped`` instead of answered."""

    id: uuid.UUID
    position: int
    kind: QuestionKind
    skill: str | None = None
    difficulty: Difficulty = "medium"
    text: str
    source: Source
    answer: AnswerView | None = None
    parent_id: uuid.UUID | None = None
    skipped: bool = False


class Progress(ContractModel):
    """How far the interview is. ``total`` is the number of questions the interview has (or will
    have, once they are asked for), follow-ups included; ``written`` how many of them exist now.
    While the model is still writing, ``written`` is below ``total`` and the written ones can be
    answered already. The interview is done when every question is evaluated or skipped."""

    answered: int = Field(ge=0)
    evaluated: int = Field(ge=0)
    total: int = Field(ge=0)
    written: int = Field(default=0, ge=0)
    followups: int = Field(
        default=0, ge=0, description="follow-ups asked (being written too), counted in total"
    )
    skipped: int = Field(default=0, ge=0, description="follow-ups skipped: done, not answered")


class Activity(ContractModel):
    """Something being done for the session now, in plain words ("Writing questions, 3 of 10"),
    with the count behind the words where there is one."""

    stage: Stage
    message: str = Field(min_length=1, max_length=200)
    done: int | None = Field(default=None, ge=0)
    total: int | None = Field(default=None, ge=0)


class FollowupResult(ContractModel):
    """A follow-up the interview asked: on the question at ``position``, its text, and its
    answer's score or ``skipped``; ``topic_score`` (0-10) is the topic's, from the question's
    answer and the follow-up's together, as the report's numbers count it."""

    position: int = Field(ge=1)
    question_id: uuid.UUID
    text: str
    skipped: bool = False
    score: int | None = Field(default=None, ge=0, le=10)
    topic_score: float = Field(ge=0, le=10)


class ReportView(ContractModel):
    overall_score: float = Field(ge=0, le=100)
    by_kind: ByKind
    skill_match: SkillMatch
    followups: list[FollowupResult] = Field(default_factory=list)
    summary: str
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    source: Source


class ReportNumbersView(ContractModel):
    """The report's numbers, computed by the gateway the moment the last answer is scored:
    there before its words are written, and the same numbers the whole report shows."""

    overall_score: float = Field(ge=0, le=100)
    by_kind: ByKind
    skill_match: SkillMatch
    followups: list[FollowupResult] = Field(default_factory=list)


NarrativeStatus = Literal["pending", "ready", "fallback"]


class NarrativeView(ContractModel):
    """The report's words (summary, strengths, improvements): ``pending`` while the evaluator
    writes them, at the latest by ``expected_by`` (the report stage's deadline, when the
    default words are used if the model has not finished); then ``ready`` (the model's) or
    ``fallback`` (the default's; a notice of the ``report`` stage says why)."""

    status: NarrativeStatus
    expected_by: AwareDatetime | None = None

    @model_validator(mode="after")
    def _only_pending_is_expected(self) -> Self:
        if self.status != "pending" and self.expected_by is not None:
            raise ValueError("only a pending narrative is expected by a time")
        return self


class StageSpeed(ContractModel):
    """How fast the model worked for one stage of this session, on its latest call there (the
    worker's measure, carried by its result): tokens read and written a second."""

    stage: Stage
    prompt_tokens_per_s: float | None = Field(default=None, gt=0)
    output_tokens_per_s: float | None = Field(default=None, gt=0)
    measured_at: AwareDatetime


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
    activity: list[Activity] = Field(default_factory=list)
    # The report without the wait (all optional: a client of an earlier release reads on).
    # ``report`` is the whole report, words included, once the session is completed; its
    # numbers are in ``report_numbers`` from the moment the last answer is scored.
    report_numbers: ReportNumbersView | None = None
    report_narrative: NarrativeView | None = None
    scoring: list[int] = Field(
        default_factory=list,
        description="positions of the answers submitted and not yet scored, in order",
    )
    model_speed: list[StageSpeed] = Field(default_factory=list)
    followups_writing: list[int] = Field(
        default_factory=list,
        description="positions of the questions whose follow-up is being written, in order",
    )


class SessionSummary(ContractModel):
    """One line of ``GET /v1/sessions``."""

    id: uuid.UUID
    status: SessionStatus
    target_role: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    progress: Progress
    overall_score: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description=(
            "The report's overall score (0-100) once its numbers are stored (the report's words "
            "may still be pending), else null. Added after v1's first release: absent from an "
            "earlier gateway's answer."
        ),
    )


class SessionPage(ContractModel):
    items: list[SessionSummary]
    next_cursor: str | None = None


class AnswerCreate(ContractModel):
    """Body of ``POST /v1/sessions/{id}/answers``."""

    question_id: uuid.UUID
    text: UserText = Field(min_length=1, max_length=ANSWER_MAX)


EMAIL_MAX = 254
"""The longest address SMTP can carry (RFC 5321's 256-octet path, less its angle brackets)."""
PASSWORD_MIN = 12
PASSWORD_MAX = 256

# One @, a local part of 1-64 characters, a domain of dot-separated labels; no spaces.
_EMAIL_SHAPE = re.compile(r"[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+")


def normalise_email(value: str) -> str:
    """``value`` as accounts are keyed: trimmed, NFC, lower case; a 422 error when it is not
    shaped like an email address."""
    email = unicodedata.normalize("NFC", value.strip()).lower()
    if (
        len(email) > EMAIL_MAX
        or not _EMAIL_SHAPE.fullmatch(email)
        or unstorable_character(email) is not None
    ):
        raise PydanticCustomError(
            "email_address",
            f"must be an email address such as name@example.org, at most {EMAIL_MAX} characters",
        )
    return email


EmailAddress = Annotated[
    str,
    Field(max_length=320, json_schema_extra={"format": "email"}),
    AfterValidator(normalise_email),
]
"""An email address, normalised so that one address is one account whatever its case."""


class AccountCreate(ContractModel):
    """Body of ``POST /v1/auth/signup``."""

    email: EmailAddress
    # repr=False: a model printed in a log or a traceback does not show the password.
    password: UserText = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX, repr=False)


class SignIn(ContractModel):
    """Body of ``POST /v1/auth/signin``."""

    email: EmailAddress
    password: UserText = Field(min_length=1, max_length=PASSWORD_MAX, repr=False)


class AccountView(ContractModel):
    """The signed-in account: ``GET /v1/auth/me``, and the answer to signing up or in."""

    id: uuid.UUID
    email: str


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
