"""Reading the session read model into the REST views, always scoped to the caller's user."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

import asyncpg

from careerflow_contracts import Notice
from careerflow_contracts.rest import (
    Activity,
    AnswerView,
    EvaluationView,
    ProfileView,
    Progress,
    QuestionView,
    SessionPage,
    SessionSummary,
    SessionView,
)
from careerflow_gateway.db.pool import DbConnection, Pool
from careerflow_gateway.errors import InvalidValue, SessionNotFound
from careerflow_gateway.profile_refine import refine_activity
from careerflow_gateway.report_progress import (
    closing_activity,
    followup_activity,
    model_speed,
    report_parts,
    scoring_positions,
)
from careerflow_gateway.status import GENERATING, IN_PROGRESS

_QUESTIONS = """
SELECT q.id, q.position, q.kind, q.skill, q.difficulty, q.text, q.source, q.parent_id,
       a.text AS answer_text, a.submitted_at,
       e.score, e.rubric, e.feedback, e.strengths, e.improvements, e.reference_answer,
       e.source AS evaluation_source, e.flags AS evaluation_flags,
       f.state = 'skipped' AS skipped
FROM questions q
LEFT JOIN answers a ON a.question_id = q.id
LEFT JOIN evaluations e ON e.question_id = q.id
LEFT JOIN followups f ON f.parent_id = q.parent_id
WHERE q.session_id = $1 AND q.generation = $2
ORDER BY q.position, q.parent_id NULLS FIRST
"""

# The follow-ups asked for (being written too), with their questions' positions.
_FOLLOWUPS = """
SELECT q.position, f.state
FROM followups f JOIN questions q ON q.id = f.parent_id
WHERE f.session_id = $1
ORDER BY q.position
"""

_SESSION_PAGE = """
SELECT s.id, s.status, s.target_role, s.created_at, s.updated_at, s.questions_expected,
       p.written, p.set_written, p.answered, p.evaluated, f.followups, f.skipped,
       r.overall_score
FROM sessions s
LEFT JOIN reports r ON r.session_id = s.id
CROSS JOIN LATERAL (
    SELECT count(*) AS written, count(*) FILTER (WHERE q.parent_id IS NULL) AS set_written,
           count(a.question_id) AS answered, count(e.question_id) AS evaluated
    FROM questions q
    LEFT JOIN answers a ON a.question_id = q.id
    LEFT JOIN evaluations e ON e.question_id = q.id
    WHERE q.session_id = s.id AND q.generation = s.generation
) p
CROSS JOIN LATERAL (
    SELECT count(*) AS followups, count(*) FILTER (WHERE state = 'skipped') AS skipped
    FROM followups WHERE session_id = s.id
) f
WHERE s.user_id = $1 AND ($2::timestamptz IS NULL OR (s.created_at, s.id) < ($2, $3))
ORDER BY s.created_at DESC, s.id DESC
LIMIT $4
"""


def _question_view(row: asyncpg.Record) -> QuestionView:
    answer = None
    if row["answer_text"] is not None:
        evaluation = None
        if row["score"] is not None:
            evaluation = EvaluationView(
                score=row["score"],
                rubric=row["rubric"],
                feedback=row["feedback"],
                strengths=row["strengths"],
                improvements=row["improvements"],
                reference_answer=row["reference_answer"],
                source=row["evaluation_source"],
                flags=row["evaluation_flags"],
            )
        answer = AnswerView(
            text=row["answer_text"], submitted_at=row["submitted_at"], evaluation=evaluation
        )
    return QuestionView(
        id=row["id"],
        position=row["position"],
        kind=row["kind"],
        skill=row["skill"],
        difficulty=row["difficulty"],
        text=row["text"],
        source=row["source"],
        answer=answer,
        parent_id=row["parent_id"],
        skipped=bool(row["skipped"]),
    )


def _profile_view(profile: dict[str, Any] | None) -> ProfileView | None:
    if profile is None:
        return None
    # The view leaves out contact details (full_name, email): they are not the client's to show.
    return ProfileView.model_validate(profile)


async def load_session_row(
    conn: DbConnection, session_id: uuid.UUID, user_id: str, *, for_update: bool = False
) -> asyncpg.Record:
    """The session row of ``user_id``; ``SessionNotFound`` for a missing session and for
    another user's."""
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT * FROM sessions WHERE id = $1 AND user_id = $2{lock}", session_id, user_id
    )
    if row is None:
        raise SessionNotFound()
    return row


async def load_question_row(
    conn: DbConnection, session: asyncpg.Record, question_id: uuid.UUID
) -> asyncpg.Record | None:
    """A question of the session's current generation, with whether it was answered
    (``answered``) and the state of the follow-up it is (``followup_state``, None for a question
    of the set); None when the session has no such question."""
    return await conn.fetchrow(
        "SELECT q.*, a.question_id AS answered, f.state AS followup_state FROM questions q "
        "LEFT JOIN answers a ON a.question_id = q.id "
        "LEFT JOIN followups f ON f.parent_id = q.parent_id "
        "WHERE q.id = $1 AND q.session_id = $2 AND q.generation = $3",
        question_id,
        session["id"],
        session["generation"],
    )


async def session_view_of(conn: DbConnection, session: asyncpg.Record) -> SessionView:
    """The full view of a session row already read."""
    questions = [
        _question_view(row)
        for row in await conn.fetch(_QUESTIONS, session["id"], session["generation"])
    ]
    followups = await conn.fetch(_FOLLOWUPS, session["id"])
    parts = await report_parts(conn, session["id"])
    scoring = scoring_positions(questions)
    answered = sum(1 for question in questions if question.answer is not None)
    evaluated = sum(
        1 for q in questions if q.answer is not None and q.answer.evaluation is not None
    )
    set_written = sum(1 for question in questions if question.parent_id is None)
    writing = [row["position"] for row in followups if row["state"] == "writing"]
    progress = _progress(
        session["questions_expected"],
        len(questions),
        answered,
        evaluated,
        set_written=set_written,
        followups=len(followups),
        skipped=sum(1 for row in followups if row["state"] == "skipped"),
    )
    return SessionView(
        id=session["id"],
        status=session["status"],
        target_role=session["target_role"],
        created_at=session["created_at"],
        updated_at=session["updated_at"],
        profile=_profile_view(session["profile"]),
        questions=questions,
        progress=progress,
        notices=[Notice.model_validate(item) for item in session["notices"]],
        report=parts.report,
        activity=[
            *_activity(session["status"], set_written, progress.total - progress.followups),
            *followup_activity(writing),
            *closing_activity(scoring, parts.narrative),
            # Last: nobody waits for it, and the screen shows the lines in this order.
            *await refine_activity(conn, session["id"]),
        ],
        report_numbers=parts.numbers,
        report_narrative=parts.narrative,
        scoring=scoring,
        model_speed=await model_speed(conn, session["id"]),
        followups_writing=writing,
    )


def _progress(
    expected: int | None,
    written: int,
    answered: int,
    evaluated: int,
    *,
    set_written: int,
    followups: int,
    skipped: int,
) -> Progress:
    """The interview's progress: the set's questions and the follow-ups asked (those being
    written count in ``total``, not yet in ``written``)."""
    # A session of an earlier release has no expected count: its set came whole.
    total = max(expected or 0, set_written) + followups
    return Progress(
        answered=answered,
        evaluated=evaluated,
        total=total,
        written=written,
        followups=followups,
        skipped=skipped,
    )


def _activity(status: str, written: int, total: int) -> list[Activity]:
    """What is being done for the session's set of questions now (``written`` of ``total``),
    as far as the read model tells; follow-ups being written are ``followup_activity``'s."""
    writing = status == GENERATING or (status == IN_PROGRESS and written < total)
    if not writing:
        return []
    if not total:  # asked for by an earlier release, which did not say how many
        return [Activity(stage="questions", message="Writing questions")]
    return [
        Activity(
            stage="questions",
            message=f"Writing questions, {written} of {total}",
            done=written,
            total=total,
        )
    ]


async def get_session_view(pool: Pool, session_id: uuid.UUID, user_id: str) -> SessionView:
    """The caller's session, read in one snapshot."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        session = await load_session_row(conn, session_id, user_id)
        return await session_view_of(conn, session)


def encode_cursor(created_at: datetime, session_id: uuid.UUID) -> str:
    raw = f"{created_at.isoformat()}|{session_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, session_id = raw.split("|")
        return datetime.fromisoformat(created_at), uuid.UUID(session_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidValue("cursor", "not a cursor this API returned") from None


async def list_sessions(pool: Pool, user_id: str, *, limit: int, cursor: str | None) -> SessionPage:
    """The caller's sessions, newest first, ``limit`` per page, continuing after ``cursor``."""
    after = decode_cursor(cursor) if cursor else None
    rows = await pool.fetch(
        _SESSION_PAGE,
        user_id,
        after[0] if after else None,
        after[1] if after else None,
        limit + 1,
    )
    items = [
        SessionSummary(
            id=row["id"],
            status=row["status"],
            target_role=row["target_role"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            progress=_progress(
                row["questions_expected"],
                row["written"],
                row["answered"],
                row["evaluated"],
                set_written=row["set_written"],
                followups=row["followups"],
                skipped=row["skipped"],
            ),
            overall_score=row["overall_score"],
        )
        for row in rows[:limit]
    ]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(last["created_at"], last["id"])
    return SessionPage(items=items, next_cursor=next_cursor)
