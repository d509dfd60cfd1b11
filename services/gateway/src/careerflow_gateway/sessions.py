"""The session commands: plain functions, each one transaction with its events.

Every command locks its session row (``FOR UPDATE``) so that the status machine moves one step
at a time, writes the state change and the events it causes in the same transaction (the
outbox), and raises the domain's exceptions (``errors.py``) for what it refuses. A command that
asks a worker for something takes the ``Outbox``, whose transaction tells the relay once it has
committed: the route need not remember to. Routes only translate HTTP to these calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from careerflow_contracts import ParentAnswer
from careerflow_contracts.rest import ReportView, SessionView
from careerflow_gateway.db.pool import DbConnection, Pool
from careerflow_gateway.errors import (
    AlreadyAnswered,
    CannotRegenerate,
    FollowupSkipped,
    QuestionNotFound,
    QuestionNotWrittenYet,
    ReportNotReady,
    SessionNotReady,
)
from careerflow_gateway.outbox import Outbox, enqueue
from careerflow_gateway.profile_refine import candidate_work_asked
from careerflow_gateway.report_progress import report_parts
from careerflow_gateway.requests import (
    answer_submitted,
    question_of,
    questions_requested,
    resume_submitted,
)
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.status import COMPLETED, GENERATING, PARSING, after, allows
from careerflow_gateway.uploads import SessionForm
from careerflow_gateway.views import load_question_row, load_session_row, session_view_of


@dataclass(frozen=True)
class CreatedSession:
    """A new (or, for a repeated idempotency key, the first) session."""

    view: SessionView
    replayed: bool


async def create_session(
    outbox: Outbox,
    user_id: str,
    form: SessionForm,
    settings: GatewaySettings,
    *,
    idempotency_key: str | None = None,
) -> CreatedSession:
    """Store a session in ``parsing`` and its ``resume.submitted`` event, in one transaction.

    With an ``idempotency_key`` already used by ``user_id``, nothing is written and the first
    session is returned. Two concurrent requests with one key are serialised by the key's
    primary key: the second waits for the first to commit and then finds its session.
    """
    session_id = uuid.uuid4()
    async with outbox.transaction() as conn:
        await conn.execute(
            "INSERT INTO sessions (id, user_id, status, target_role, job_description, "
            "followups_max) VALUES ($1, $2, $3, $4, $5, $6)",
            session_id,
            user_id,
            PARSING,
            form.target_role,
            form.job_description,
            settings.followups_per_interview if form.followups else 0,
        )
        if idempotency_key is not None:
            claimed = await conn.fetchval(
                "INSERT INTO idempotency_keys (user_id, key, session_id) VALUES ($1, $2, $3) "
                "ON CONFLICT (user_id, key) DO NOTHING RETURNING session_id",
                user_id,
                idempotency_key,
                session_id,
            )
            if claimed is None:
                # The key is taken: undo this session inside the transaction, return the first.
                await conn.execute("DELETE FROM sessions WHERE id = $1", session_id)
                first = await conn.fetchval(
                    "SELECT session_id FROM idempotency_keys WHERE user_id = $1 AND key = $2",
                    user_id,
                    idempotency_key,
                )
                session = await load_session_row(conn, first, user_id)
                return CreatedSession(await session_view_of(conn, session), replayed=True)
        await enqueue(conn, resume_submitted(session_id, form.resume, settings))
        session = await load_session_row(conn, session_id, user_id)
        return CreatedSession(await session_view_of(conn, session), replayed=False)


async def submit_answer(
    outbox: Outbox,
    user_id: str,
    session_id: uuid.UUID,
    question_id: uuid.UUID,
    text: str,
    settings: GatewaySettings,
) -> SessionView:
    """Store an answer and its ``answer.submitted`` event; refused unless the question is open.

    A question can be answered as soon as it exists: while the others are still being written
    (the session ``generating``) too. The first answer moves the session to ``in_progress``.
    """
    async with outbox.transaction() as conn:
        session = await load_session_row(conn, session_id, user_id, for_update=True)
        if not allows(session["status"], "answered"):
            raise SessionNotReady(session["status"])
        question = await load_question_row(conn, session, question_id)
        if question is None:
            if session["status"] == GENERATING:
                raise QuestionNotWrittenYet()
            raise QuestionNotFound()
        if question["answered"] is not None:
            raise AlreadyAnswered()
        if question["followup_state"] == "skipped":
            raise FollowupSkipped()
        parent = await _parent_answer(conn, question["parent_id"])
        await conn.execute(
            "INSERT INTO answers (question_id, session_id, text) VALUES ($1, $2, $3)",
            question_id,
            session_id,
            text,
        )
        await conn.execute(
            "UPDATE sessions SET status = $2, updated_at = clock_timestamp() WHERE id = $1",
            session_id,
            after(session["status"], "answered"),
        )
        await candidate_work_asked(conn)
        await enqueue(conn, answer_submitted(session, question, text, settings, parent=parent))
        session = await load_session_row(conn, session_id, user_id)
        return await session_view_of(conn, session)


async def _parent_answer(conn: DbConnection, parent_id: uuid.UUID | None) -> ParentAnswer | None:
    """What a follow-up follows up: its parent question and the answer to it (None for a
    question of the set)."""
    if parent_id is None:
        return None
    parent = await conn.fetchrow(
        "SELECT q.*, a.text AS answer_text FROM questions q "
        "JOIN answers a ON a.question_id = q.id WHERE q.id = $1",
        parent_id,
    )
    assert parent is not None  # a follow-up is asked only after its parent's answer
    return ParentAnswer(question=question_of(parent), answer_text=parent["answer_text"])


async def regenerate_questions(
    outbox: Outbox,
    user_id: str,
    session_id: uuid.UUID,
    settings: GatewaySettings,
) -> SessionView:
    """Ask for the questions again (a new generation); refused once answering has begun.

    Only the newest generation's ``questions.generated`` is applied; an older one still in
    flight is recorded in the inbox and ignored.
    """
    async with outbox.transaction() as conn:
        session = await load_session_row(conn, session_id, user_id, for_update=True)
        if not allows(session["status"], "regenerated"):
            raise CannotRegenerate(session["status"])
        renewed = await conn.fetchrow(
            "UPDATE sessions SET generation = generation + 1, status = $3, "
            "questions_expected = $2, updated_at = clock_timestamp() WHERE id = $1 RETURNING *",
            session_id,
            settings.question_count,
            after(session["status"], "regenerated"),
        )
        assert renewed is not None
        await candidate_work_asked(conn)
        await enqueue(conn, questions_requested(renewed, settings, causation_id=None))
        return await session_view_of(conn, renewed)


async def get_report(pool: Pool, user_id: str, session_id: uuid.UUID) -> ReportView:
    """The completed session's whole report; refused before completion, as before the numbers
    came first: a client that reads the report once gets it whole."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        session = await load_session_row(conn, session_id, user_id)
        parts = await report_parts(conn, session_id)
    if session["status"] != COMPLETED or parts.report is None:
        raise ReportNotReady(session["status"], numbers_shown=parts.numbers is not None)
    return parts.report


async def delete_session(pool: Pool, user_id: str, session_id: uuid.UUID) -> None:
    """Erase the session and everything derived from it (rows cascade; inbox rows by id)."""
    async with pool.acquire() as conn, conn.transaction():
        await load_session_row(conn, session_id, user_id, for_update=True)
        await erase_session(conn, session_id)


async def erase_session(conn: DbConnection, session_id: uuid.UUID) -> None:
    """Delete a session's rows in the caller's transaction: the one erasure of a session, for
    ``DELETE /v1/sessions/{id}`` and for erasing a whole account."""
    await conn.execute("DELETE FROM inbox WHERE session_id = $1", session_id)
    await conn.execute("DELETE FROM sessions WHERE id = $1", session_id)
