"""Applying the workers' result events to the session read model, exactly once in effect: one
handler per result type, and ``apply_result``, which calls the event's in one transaction.
(``result_intake`` is what the results queue's consumer calls: it waits out outages around it.)

``apply_result`` runs in one transaction: it records the event's id in the inbox (a second
delivery of the same id finds it there and is dropped), changes the read model, advances the
status machine and writes the next request event to the outbox. The consumer acks only after
that transaction committed, so a crash at any point leaves either nothing or everything.

Outcomes::

    applied        the read model changed
    duplicate      the event id was already in the inbox: dropped
    stale          the session has moved past what the event answers (or is gone), or a
                   batch of questions brings no position not already stored: ignored
    not yet        the event answers something not yet stored (only possible out of order):
                   ``ResultNotYetApplicable`` is raised, nothing is recorded, and the broker
                   delivers it again later
"""

from __future__ import annotations

import logging
import uuid
from typing import Literal

import asyncpg

from careerflow_contracts import (
    AnswerEvaluated,
    Event,
    FollowupGenerated,
    ProfileRefined,
    QuestionsGenerated,
    ReportGenerated,
    ResumeParsed,
)
from careerflow_contracts.common import Stage
from careerflow_gateway import metrics
from careerflow_gateway.closing import (
    numbers_of,
    request_report_if_done,
    session_topics,
    store_report_numbers,
)
from careerflow_gateway.db.pool import DbConnection, Pool
from careerflow_gateway.followups import ask_followup_if_due, store_followup
from careerflow_gateway.notices import merge_notices, result_notices
from careerflow_gateway.outbox import enqueue
from careerflow_gateway.profile_refine import candidate_work_asked, store_refine
from careerflow_gateway.requests import questions_requested
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.status import (
    COMPLETED,
    IN_PROGRESS,
    PARSING,
    QUESTIONS_ARRIVE,
    after,
    allows,
)

log = logging.getLogger(__name__)

Outcome = Literal["applied", "duplicate", "stale"]


class ResultNotYetApplicable(Exception):
    """The result answers a step the session has not reached yet; deliver it again later."""


def question_id(session_id: uuid.UUID, generation: int, position: int) -> uuid.UUID:
    """A question's id, the same for every delivery of the same generated question."""
    return uuid.uuid5(session_id, f"question:{generation}:{position}")


async def _set_notices(
    conn: DbConnection,
    session: asyncpg.Record,
    stage: Stage,
    event: ResumeParsed | QuestionsGenerated | AnswerEvaluated | ReportGenerated | ProfileRefined,
    *,
    replace_stage: bool = False,
) -> None:
    notices = merge_notices(
        session["notices"],
        result_notices(stage, event.payload),
        replace_stage=stage if replace_stage else None,
    )
    await conn.execute(
        "UPDATE sessions SET notices = $2, updated_at = clock_timestamp() WHERE id = $1",
        session["id"],
        notices,
    )


async def _apply_resume_parsed(
    conn: DbConnection,
    session: asyncpg.Record,
    event: ResumeParsed,
    settings: GatewaySettings,
) -> Outcome:
    if not allows(session["status"], "resume_read"):
        return "stale"
    profile = event.payload.profile.model_dump(mode="json")
    updated = await conn.fetchrow(
        "UPDATE sessions SET profile = $2, status = $4, questions_expected = $3, "
        "updated_at = clock_timestamp() WHERE id = $1 RETURNING *",
        session["id"],
        profile,
        settings.question_count,
        after(session["status"], "resume_read"),
    )
    assert updated is not None
    await _set_notices(conn, updated, "resume", event)
    if event.payload.resume_text is not None:  # read by the basic parser first: see refines
        await store_refine(conn, session["id"], event.payload.resume_text)
    await candidate_work_asked(conn)
    await enqueue(conn, questions_requested(updated, settings, causation_id=event.event_id))
    return "applied"


async def _apply_profile_refined(
    conn: DbConnection, session: asyncpg.Record, event: ProfileRefined
) -> Outcome:
    """Put the model's reading of the resume in place of the basic parser's, or say why there
    is none; whatever the session's status (the profile is the candidate's to see). The text
    the model read is erased with the refine's row."""
    refine = await conn.fetchrow(
        "SELECT request_event_id FROM profile_refines WHERE session_id = $1 FOR UPDATE",
        session["id"],
    )
    if refine is None:
        return "stale"  # applied already (another request's answer), or never asked by us
    payload = event.payload
    if payload.source == "fallback" and event.causation_id != refine["request_event_id"]:
        # An older request's failure (one past its deadline, say): the newer request's answer
        # is still to come, and may be the model's.
        return "stale"
    await conn.execute("DELETE FROM profile_refines WHERE session_id = $1", session["id"])
    if payload.source == "ai":
        # The session keeps no contact details: CandidateProfile has none.
        await conn.execute(
            "UPDATE sessions SET profile = $2, updated_at = clock_timestamp() WHERE id = $1",
            session["id"],
            payload.profile.model_dump(mode="json"),
        )
    # The notice that the model would read it later gives way to what became of that.
    notices = merge_notices(
        [n for n in session["notices"] if (n.get("stage"), n.get("code")) != _DEFERRED],
        result_notices("resume", payload),
    )
    await conn.execute(
        "UPDATE sessions SET notices = $2, updated_at = clock_timestamp() WHERE id = $1",
        session["id"],
        notices,
    )
    return "applied"


_DEFERRED = ("resume", "ai_deferred")


async def _apply_questions_generated(
    conn: DbConnection, session: asyncpg.Record, event: QuestionsGenerated
) -> Outcome:
    """Store a batch of the set (version 2) or the whole set (version 1), in any order.

    A position already stored keeps its question (it may have been answered; a batch repeated
    by a redelivered request may hold other words for it). The session is answerable from the
    first question on; it is ``ready`` once every position of the set is stored, unless the
    candidate has begun answering (``in_progress``) meanwhile.
    """
    payload = event.payload
    if payload.generation != session["generation"]:
        return "stale"  # an older request's answer, overtaken by a regenerate
    if session["status"] == PARSING:
        raise ResultNotYetApplicable("questions arrived before the resume was applied")
    if session["status"] not in QUESTIONS_ARRIVE:
        return "stale"  # the set is complete, or the session is over
    generation = session["generation"]
    stored_before = await _stored_questions(conn, session)
    if stored_before == 0:
        # Questions of an earlier generation were never answered (regenerate is refused after
        # the first answer), so replacing them loses nothing.
        await conn.execute(
            "DELETE FROM questions WHERE session_id = $1 AND generation <> $2",
            session["id"],
            generation,
        )
    await conn.executemany(
        "INSERT INTO questions (id, session_id, generation, position, kind, skill, difficulty, "
        "text, expected_points, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (id) DO NOTHING",
        [
            (
                question_id(session["id"], generation, q.position),
                session["id"],
                generation,
                q.position,
                q.kind,
                q.skill,
                q.difficulty,
                q.text,
                q.expected_points,
                q.source,
            )
            for q in payload.questions
        ],
    )
    stored = await _stored_questions(conn, session)
    expected = payload.set_size
    if stored == stored_before and expected:
        return "stale"  # every position was stored already: nothing new
    status = session["status"]
    if not expected:
        status = after(status, "no_question")  # a whole set of version 1 with none at all
    elif stored >= expected and allows(status, "set_written"):
        status = after(status, "set_written")
    await conn.execute(
        "UPDATE sessions SET status = $2, questions_expected = $3, "
        "updated_at = clock_timestamp() WHERE id = $1",
        session["id"],
        status,
        expected or None,
    )
    # The first part of a generation describes its stage afresh (a regenerate's old notices
    # go); the final batch, whenever it comes, says how the whole set was made.
    await _set_notices(conn, session, "questions", event, replace_stage=stored_before == 0)
    return "applied"


async def _stored_questions(conn: DbConnection, session: asyncpg.Record) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM questions WHERE session_id = $1 AND generation = $2 "
        "AND parent_id IS NULL",
        session["id"],
        session["generation"],
    )
    return count


async def _apply_answer_evaluated(
    conn: DbConnection,
    session: asyncpg.Record,
    event: AnswerEvaluated,
    settings: GatewaySettings,
) -> Outcome:
    row = await conn.fetchrow(
        "SELECT q.generation, q.parent_id, a.question_id AS answered, "
        "e.question_id AS evaluated "
        "FROM questions q LEFT JOIN answers a ON a.question_id = q.id "
        "LEFT JOIN evaluations e ON e.question_id = q.id "
        "WHERE q.id = $1 AND q.session_id = $2",
        event.payload.question_id,
        session["id"],
    )
    if row is None or row["generation"] != session["generation"]:
        return "stale"
    if row["answered"] is None:
        raise ResultNotYetApplicable("an evaluation arrived before its answer was stored")
    if row["evaluated"] is not None:
        return "stale"
    evaluation = event.payload.evaluation
    await conn.execute(
        "INSERT INTO evaluations (question_id, session_id, score, rubric, feedback, strengths, "
        "improvements, reference_answer, source, flags, speed) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        event.payload.question_id,
        session["id"],
        evaluation.rubric.score(),  # recomputed here: a score is never taken as sent
        evaluation.rubric.model_dump(mode="json"),
        evaluation.feedback,
        evaluation.strengths,
        evaluation.improvements,
        evaluation.reference_answer,
        evaluation.source,
        [flag.model_dump(mode="json") for flag in evaluation.flags],
        None if event.payload.speed is None else event.payload.speed.model_dump(mode="json"),
    )
    await _set_notices(conn, session, "evaluation", event)
    if row["parent_id"] is None:
        await ask_followup_if_due(conn, session, event, settings)
    await request_report_if_done(conn, session, settings, causation_id=event.event_id)
    return "applied"


async def _apply_report_generated(
    conn: DbConnection, session: asyncpg.Record, event: ReportGenerated
) -> Outcome:
    """Write the report's words into the report whose numbers are stored, and complete the
    session. The numbers are computed here instead when the last answer was scored by an
    earlier release, which stored nothing of the report before its words."""
    if session["status"] == COMPLETED:
        return "stale"
    topics = await session_topics(conn, session)
    if not allows(session["status"], "report_written") or not topics.done(
        session["questions_expected"]
    ):
        raise ResultNotYetApplicable("a report arrived before every answer was evaluated")
    stored = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM reports WHERE session_id = $1)", session["id"]
    )
    if not stored:
        numbers = numbers_of(session, topics)
        await store_report_numbers(conn, session["id"], numbers, topics, narrative_due_at=None)
    payload = event.payload
    await conn.execute(
        "UPDATE reports SET summary = $2, strengths = $3, improvements = $4, source = $5 "
        "WHERE session_id = $1 AND summary IS NULL",
        session["id"],
        payload.summary,
        payload.strengths,
        payload.improvements,
        payload.source,
    )
    await conn.execute(
        "UPDATE sessions SET status = $2, updated_at = clock_timestamp() WHERE id = $1",
        session["id"],
        after(session["status"], "report_written"),
    )
    await _set_notices(conn, session, "report", event)
    return "applied"


async def _apply_followup_generated(
    conn: DbConnection, session: asyncpg.Record, event: FollowupGenerated
) -> Outcome:
    """Store a written follow-up under its question: the next thing to answer."""
    if session["status"] != IN_PROGRESS:
        return "stale"  # the session is over (or never asked)
    return "applied" if await store_followup(conn, session, event) else "stale"


async def apply_result(pool: Pool, event: Event, settings: GatewaySettings) -> Outcome:
    """Apply one result event in one transaction; see the module docstring for the outcomes."""
    async with pool.acquire() as conn, conn.transaction():
        recorded = await conn.fetchval(
            "INSERT INTO inbox (event_id, session_id, type, outcome) VALUES ($1, $2, $3, '') "
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            event.event_id,
            event.session_id,
            event.type,
        )
        if recorded is None:
            metrics.DUPLICATES_DROPPED.labels(type=event.type).inc()
            return "duplicate"
        session = await conn.fetchrow(
            "SELECT * FROM sessions WHERE id = $1 FOR UPDATE", event.session_id
        )
        outcome: Outcome
        if session is None:
            # Deleted meanwhile. Keep no trace of it: a redelivery finds no session again.
            await conn.execute("DELETE FROM inbox WHERE event_id = $1", event.event_id)
            outcome = "stale"
        elif isinstance(event, ResumeParsed):
            outcome = await _apply_resume_parsed(conn, session, event, settings)
        elif isinstance(event, QuestionsGenerated):
            outcome = await _apply_questions_generated(conn, session, event)
        elif isinstance(event, AnswerEvaluated):
            outcome = await _apply_answer_evaluated(conn, session, event, settings)
        elif isinstance(event, ReportGenerated):
            outcome = await _apply_report_generated(conn, session, event)
        elif isinstance(event, FollowupGenerated):
            outcome = await _apply_followup_generated(conn, session, event)
        elif isinstance(event, ProfileRefined):
            outcome = await _apply_profile_refined(conn, session, event)
        else:
            outcome = "stale"  # a request event on the results queue: not ours to apply
            log.warning("results: ignored %s, which is not a result event", event.type)
        if session is not None:
            await conn.execute(
                "UPDATE inbox SET outcome = $2 WHERE event_id = $1", event.event_id, outcome
            )
    metrics.EVENTS_APPLIED.labels(type=event.type, outcome=outcome).inc()
    return outcome
