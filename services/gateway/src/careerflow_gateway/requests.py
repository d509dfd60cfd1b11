"""The request events the gateway sends the workers, each built here from what it stores.

Every request carries a deadline: its stage's budget in the settings, from now (``_request``
writes the envelope once). The command that asks writes the event to the outbox
(``outbox.enqueue``) in the transaction that makes the state the request is about; a request a
candidate waits for is asked after ``profile_refine.candidate_work_asked``, so the model's
reading of a resume gives way to it.

    event                  asks for                             asked by
    resume.submitted       a new session's resume read          sessions.create_session
    questions.requested    a generation's set of questions      result_handlers (once the
                                                                resume is read),
                                                                sessions.regenerate_questions
    answer.submitted       an answer scored                     sessions.submit_answer
    followup.requested     a follow-up to a thin answer         followups.ask_followup_if_due
    report.requested       the report's words                   closing.request_report_if_done
    profile.requested      the model's reading of a resume      profile_refine.request_next_refine
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, TypeVar

import asyncpg

from careerflow_contracts import (
    AnswerGaps,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CandidateProfile,
    ContractModel,
    EventBase,
    FollowupReason,
    FollowupRequested,
    FollowupRequestedPayload,
    ParentAnswer,
    ProfileRequested,
    ProfileRequestedPayload,
    Question,
    QuestionsRequested,
    QuestionsRequestedPayload,
    ReportItem,
    ReportRequested,
    ReportRequestedPayload,
    ResumeSubmitted,
    ResumeSubmittedPayload,
    utc_now,
)
from careerflow_gateway.report import ReportNumbers
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.uploads import ResumeUpload


def deadline_after(seconds: float) -> datetime:
    return utc_now() + timedelta(seconds=seconds)


_Request = TypeVar("_Request", bound=EventBase)


def _request(
    kind: type[_Request],
    session_id: uuid.UUID,
    payload: ContractModel,
    *,
    budget_s: float,
    causation_id: uuid.UUID | None = None,
) -> _Request:
    """A request of ``kind`` in the session, due ``budget_s`` from now."""
    fields: dict[str, Any] = {
        "session_id": session_id,
        "causation_id": causation_id,
        "deadline": deadline_after(budget_s),
    }
    return kind(payload=payload, **fields)


def question_of(row: asyncpg.Record) -> Question:
    """The contract's question of a ``questions`` row."""
    return Question(
        position=row["position"],
        kind=row["kind"],
        skill=row["skill"],
        difficulty=row["difficulty"],
        text=row["text"],
        expected_points=row["expected_points"],
        source=row["source"],
    )


def _profile(stored: dict[str, Any] | None) -> CandidateProfile:
    return CandidateProfile.model_validate(stored or {})


def resume_submitted(
    session_id: uuid.UUID, resume: ResumeUpload, settings: GatewaySettings
) -> ResumeSubmitted:
    """The request to read a new session's resume."""
    # No file name: the parser judges a document by its content alone, and a file name is
    # often the candidate's own.
    payload = ResumeSubmittedPayload(
        document_type=resume.document_type,
        document=resume.document,
        profile_later=settings.profile_later,
    )
    return _request(ResumeSubmitted, session_id, payload, budget_s=settings.parse_budget_s)


def questions_requested(
    session: asyncpg.Record, settings: GatewaySettings, *, causation_id: uuid.UUID | None
) -> QuestionsRequested:
    """The request for a session's questions (its current generation)."""
    payload = QuestionsRequestedPayload(
        target_role=session["target_role"],
        job_description=session["job_description"],
        profile=_profile(session["profile"]),
        count=settings.question_count,
        generation=session["generation"],
        batches=settings.questions_in_batches,
    )
    return _request(
        QuestionsRequested,
        session["id"],
        payload,
        budget_s=settings.questions_budget_s,
        causation_id=causation_id,
    )


def answer_submitted(
    session: asyncpg.Record,
    question: asyncpg.Record,
    text: str,
    settings: GatewaySettings,
    *,
    parent: ParentAnswer | None,
) -> AnswerSubmitted:
    """The request to score ``text``, the answer to ``question`` (with the question it follows
    up and its answer, for a follow-up)."""
    payload = AnswerSubmittedPayload(
        question_id=question["id"],
        question=question_of(question),
        answer_text=text,
        target_role=session["target_role"],
        parent=parent,
    )
    return _request(AnswerSubmitted, session["id"], payload, budget_s=settings.evaluation_budget_s)


def followup_requested(
    session: asyncpg.Record,
    question: asyncpg.Record,
    settings: GatewaySettings,
    *,
    reason: FollowupReason,
    gaps: AnswerGaps,
    causation_id: uuid.UUID,
) -> FollowupRequested:
    """The request for a follow-up to ``question`` (a row with its ``answer_text``), asked for
    ``reason`` about what the answer left out (``gaps``)."""
    payload = FollowupRequestedPayload(
        question_id=question["id"],
        question=question_of(question),
        answer_text=question["answer_text"],
        target_role=session["target_role"],
        reason=reason,
        gaps=gaps,
    )
    return _request(
        FollowupRequested,
        session["id"],
        payload,
        budget_s=settings.followup_budget_s,
        causation_id=causation_id,
    )


def report_requested(
    session: asyncpg.Record,
    items: list[ReportItem],
    numbers: ReportNumbers,
    settings: GatewaySettings,
    *,
    causation_id: uuid.UUID | None,
) -> ReportRequested:
    """The request for the words of a report whose numbers are ``numbers``."""
    payload = ReportRequestedPayload(
        target_role=session["target_role"],
        # Unused by the report writer; release 1's evaluator requires it (version 1).
        job_description=session["job_description"],
        items=items,
        overall_score=numbers.overall_score,
        by_kind=numbers.by_kind,
        skill_match=numbers.skill_match,
    )
    return _request(
        ReportRequested,
        session["id"],
        payload,
        budget_s=settings.report_budget_s,
        causation_id=causation_id,
    )


def profile_requested(
    session_id: uuid.UUID,
    resume_text: str,
    profile: dict[str, Any] | None,
    settings: GatewaySettings,
) -> ProfileRequested:
    """The request for the model's reading of ``resume_text``, with the basic parser's
    ``profile`` of it."""
    payload = ProfileRequestedPayload(resume_text=resume_text, profile=_profile(profile))
    return _request(ProfileRequested, session_id, payload, budget_s=settings.profile_budget_s)
