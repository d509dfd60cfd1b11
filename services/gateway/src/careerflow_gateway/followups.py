"""Follow-up questions: which answers get one, how a topic is scored with it, and its storage.

The decision (``followup_reason``) is a pure function of what it reads: the evaluated answer
(its score, what it left out, whether it answers a follow-up itself) and the interview's
follow-ups so far (how many, the session's limit, whether this question has one). The gateway
takes it, because the limit is the session's: only the gateway knows every follow-up of an
interview, and it decides inside the transaction that stores the evaluation, under the session
row's lock, so two evaluations applied at once cannot both take the last follow-up.

- Never for a strong answer (``STRONG_AT``, 7/10, or more), whatever it left out.
- Never for the answer to a follow-up, and never a second one on a question.
- Never past the session's limit (``sessions.followups_max``, from ``GATEWAY_FOLLOWUPS_PER_
  INTERVIEW``, 3, when the client asked for follow-ups; 0 otherwise).
- Never without the answer's ``gaps`` (an evaluator of an earlier release sends none): a
  follow-up is about what the answer left out, and nothing says what that is.
- Otherwise, the first that holds: a non-answer, missed expected points, a vague answer.

A follow-up is asked for (``followup.requested``, state ``writing``) and, once written
(``followup.generated``), stored as a question with its parent's position (state ``asked``); the
candidate answers it or skips it. The report scores the topic from both answers
(``report.topic_score``).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import asyncpg

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerGaps,
    FollowupGenerated,
    FollowupReason,
)
from careerflow_contracts.rest import SessionView
from careerflow_gateway.closing import request_report_if_done
from careerflow_gateway.db.pool import DbConnection
from careerflow_gateway.errors import AlreadyAnswered, NotAFollowup, QuestionNotFound
from careerflow_gateway.notices import merge_notices, result_notices
from careerflow_gateway.outbox import Outbox, enqueue
from careerflow_gateway.profile_refine import candidate_work_asked
from careerflow_gateway.requests import followup_requested
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.views import load_question_row, load_session_row, session_view_of

log = logging.getLogger(__name__)

STRONG_AT = 7
"""An answer scored this (out of 10) or more never gets a follow-up."""


@dataclass(frozen=True)
class EvaluatedAnswer:
    """What the decision reads of one evaluated answer."""

    score: int
    gaps: AnswerGaps | None
    is_followup: bool = False


@dataclass(frozen=True)
class InterviewFollowups:
    """What the decision reads of the interview: its follow-ups so far and its limit."""

    asked: int
    limit: int
    question_has_one: bool = False


def followup_reason(
    answer: EvaluatedAnswer, interview: InterviewFollowups
) -> FollowupReason | None:
    """Why this answer gets a follow-up, or None when it does not (see the module docstring)."""
    if answer.is_followup or interview.question_has_one or interview.asked >= interview.limit:
        return None
    if answer.gaps is None or answer.score >= STRONG_AT:
        return None
    if answer.gaps.non_answer:
        return "non_answer"
    if answer.gaps.missed_points:
        return "missed_points"
    if answer.gaps.vague:
        return "vague"
    return None


def followup_id(session_id: uuid.UUID, parent_id: uuid.UUID) -> uuid.UUID:
    """A follow-up's question id: the same for every delivery of its ``followup.generated``."""
    return uuid.uuid5(session_id, f"followup:{parent_id}")


async def ask_followup_if_due(
    conn: DbConnection,
    session: asyncpg.Record,
    event: AnswerEvaluated,
    settings: GatewaySettings,
) -> FollowupReason | None:
    """In the transaction that stores an evaluation (the session row locked): ask for a
    follow-up to the answer when the decision says so, and say why."""
    question = await conn.fetchrow(
        "SELECT q.*, a.text AS answer_text FROM questions q "
        "JOIN answers a ON a.question_id = q.id WHERE q.id = $1",
        event.payload.question_id,
    )
    assert question is not None  # the caller stored its evaluation
    counts = await conn.fetchrow(
        "SELECT count(*) AS asked, count(*) FILTER (WHERE parent_id = $2) AS here "
        "FROM followups WHERE session_id = $1",
        session["id"],
        question["id"],
    )
    assert counts is not None
    reason = followup_reason(
        EvaluatedAnswer(
            score=event.payload.evaluation.rubric.score(),
            gaps=event.payload.gaps,
            is_followup=question["parent_id"] is not None,
        ),
        InterviewFollowups(
            asked=counts["asked"],
            limit=session["followups_max"],
            question_has_one=counts["here"] > 0,
        ),
    )
    if reason is None or event.payload.gaps is None:
        return None
    request = followup_requested(
        session,
        question,
        settings,
        reason=reason,
        gaps=event.payload.gaps,
        causation_id=event.event_id,
    )
    await conn.execute(
        "INSERT INTO followups (parent_id, session_id, reason, request_event_id, deadline) "
        "VALUES ($1, $2, $3, $4, $5)",
        question["id"],
        session["id"],
        reason,
        request.event_id,
        request.deadline,
    )
    await candidate_work_asked(conn)
    await enqueue(conn, request)
    return reason


async def store_followup(
    conn: DbConnection, session: asyncpg.Record, event: FollowupGenerated
) -> bool:
    """Store a written follow-up as a question under its parent; False when there is nothing to
    store (not asked for by this session, or stored already)."""
    payload = event.payload
    parent = await conn.fetchrow(
        "SELECT q.*, f.state FROM followups f JOIN questions q ON q.id = f.parent_id "
        "WHERE f.parent_id = $1 AND f.session_id = $2 FOR UPDATE OF f",
        payload.question_id,
        session["id"],
    )
    if parent is None or parent["state"] != "writing":
        return False
    await conn.execute(
        "INSERT INTO questions (id, session_id, generation, position, kind, skill, difficulty, "
        "text, expected_points, source, parent_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        followup_id(session["id"], parent["id"]),
        session["id"],
        parent["generation"],
        parent["position"],
        parent["kind"],
        parent["skill"],
        parent["difficulty"],
        payload.text,
        payload.expected_points,
        payload.source,
        parent["id"],
    )
    await conn.execute(
        "UPDATE followups SET state = 'asked' WHERE parent_id = $1", payload.question_id
    )
    notices = merge_notices(session["notices"], result_notices("followup", payload))
    await conn.execute(
        "UPDATE sessions SET notices = $2, updated_at = clock_timestamp() WHERE id = $1",
        session["id"],
        notices,
    )
    return True


async def skip_followup(
    outbox: Outbox,
    user_id: str,
    session_id: uuid.UUID,
    question_id: uuid.UUID,
    settings: GatewaySettings,
) -> SessionView:
    """Record that the candidate skipped a follow-up (no answer, no score); refused for a
    question that is not a follow-up, or one answered. Skipping twice is the same as once.
    The skip that leaves nothing else to answer asks for the report, as the last evaluation
    would."""
    async with outbox.transaction() as conn:
        session = await load_session_row(conn, session_id, user_id, for_update=True)
        question = await load_question_row(conn, session, question_id)
        if question is None:
            raise QuestionNotFound()
        if question["parent_id"] is None:
            raise NotAFollowup()
        if question["answered"] is not None:
            raise AlreadyAnswered()
        if question["followup_state"] != "skipped":
            await conn.execute(
                "UPDATE followups SET state = 'skipped', skipped_at = clock_timestamp() "
                "WHERE parent_id = $1",
                question["parent_id"],
            )
            skipped = await conn.fetchrow(
                "UPDATE sessions SET updated_at = clock_timestamp() WHERE id = $1 RETURNING *",
                session_id,
            )
            assert skipped is not None
            session = skipped
            await request_report_if_done(conn, session, settings, causation_id=None)
        return await session_view_of(conn, session)
