"""Small shared types: where a result came from, why it fell back, and user-facing notices."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from careerflow_contracts.text import StorableText

Source = Literal["ai", "fallback"]
"""Who wrote a result: the model (``ai``) or the deterministic fallback."""

FallbackReason = Literal[
    "breaker_open",
    "timeout",
    "connection_error",
    "invalid_output",
    "model_error",
    "deadline_exceeded",
    "disabled",
    "unreadable_input",
    "deferred",
]
"""Why a result is a fallback; ``None`` where it is not one.

``unreadable_input`` is the one reason that is not the model's: the input itself (a scanned,
encrypted or broken resume) gave nothing to ask the model about. ``deferred`` is not a failure:
the model's part was put off so that work a candidate waits for goes first (the resume's
deterministic reading now, the model's later, in ``profile.refined``).
"""

FALLBACK_REASONS: tuple[FallbackReason, ...] = get_args(FallbackReason)
"""Every fallback reason, in the order of ``FallbackReason`` (derived from it, never a copy)."""

QuestionKind = Literal["technical", "behavioral"]
Difficulty = Literal["easy", "medium", "hard"]
Stage = Literal["resume", "questions", "evaluation", "followup", "report", "session"]
"""What a notice, an activity or a speed is about. ``followup`` is the writing of follow-up
questions; it appears only in sessions whose client asked for follow-ups."""

FollowupReason = Literal["non_answer", "missed_points", "vague"]
"""Why an answer gets a follow-up: it said nothing, it left expected points out, or it named no
example or specifics."""
NoticeLevel = Literal["info", "warning", "error"]


class ContractModel(BaseModel):
    """Base of every contract: unknown fields are ignored, so old readers survive new writers."""

    model_config = ConfigDict(extra="ignore", frozen=True)


CutLimit = Literal["first_token", "stall", "deadline", "budget"]
"""Which of a model call's limits cut it (see "Ollama calls" in docs/architecture.md)."""


class FallbackDetail(ContractModel):
    """What a fallback's reason leaves unsaid, as data for the gateway to put in words.

    ``limit`` and ``seconds``: which limit cut the model's call (reason ``timeout``), at how
    many seconds; ``answering``: whether the model had begun its answer then. ``found``: what
    the worker's own checks found wrong with an unusable answer (reason ``invalid_output``).
    ``from_model``: how many of a set are the model's when the fallback topped it up (a
    ``questions.generated`` set, of its ``total``); absent when none is. Never a model server's
    own error text: that stays in the worker's log. ``careerflow_contracts.fallback_words`` says
    it in words.
    """

    limit: CutLimit | None = None
    seconds: float | None = Field(default=None, ge=0)
    answering: bool | None = None
    found: StorableText | None = Field(default=None, max_length=200)
    from_model: int | None = Field(default=None, ge=1)


class Notice(ContractModel):
    """Something a person should know about how their session was produced."""

    level: NoticeLevel = "warning"
    stage: Stage
    code: StorableText = Field(min_length=1, max_length=64)
    message: StorableText = Field(min_length=1, max_length=500)
