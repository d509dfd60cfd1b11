"""The model's reading of a resume, asked for when no work a candidate waits for is pending.

The interview does not wait for the model to read the resume: the basic parser's reading goes
into the questions at once (``resume.parsed``, ``deferred``), and the model's refines the
profile later. Later means when the model is free for it. The model serves every worker, often
in one slot (a laptop CPU), and the workers are separate processes: none of them can order the
model's work by itself. The gateway can, because every piece of that work is asked for by it and
stored here. So:

- ``request_next_refine`` sends ``profile.requested`` for the oldest waiting refine, one at a
  time across every gateway replica, and only when nothing a candidate waits for is pending: a
  session being read or its questions written, an answer being scored, a follow-up question
  being written, a report's words being written (each only until its request's deadline, so a
  stuck worker does not hold refines off for ever). A ``ProfileRefiner`` task asks every
  ``poll_interval_s`` and when woken (a result was applied: some work may have ended).
- ``candidate_work_asked`` is called by every transaction that asks for work a candidate waits
  for (``questions.requested``, ``answer.submitted``, ``followup.requested``,
  ``report.requested``), before it makes the event: a refine requested is put back to
  ``pending``. resume-parser gives a reading in progress up for a request made after it (it
  watches those requests), so the model is free for the candidate, and settles it with no
  result; this gateway asks again when the model is free.

The two sides agree by the events' times, which the gateway gives: a transaction asking for a
candidate's work takes a shared advisory lock, ``request_next_refine`` the same lock exclusively,
so a candidate's request is made either before a refine's request (and the refine waits for it
to be done) or after it (and the refine is put back and given up). A result that arrives for a
refine put back (the worker missed the hint, or had finished) is applied all the same: the
model's reading is good whenever it comes.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable

from careerflow_contracts.rest import Activity
from careerflow_gateway.background import BackgroundTask
from careerflow_gateway.db.pool import DbConnection, Pool
from careerflow_gateway.outbox import enqueue
from careerflow_gateway.requests import profile_requested
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.status import GENERATING, IN_PROGRESS, PARSING
from careerflow_gateway.stopping import stop_if_cancelled

log = logging.getLogger(__name__)

MODEL_ORDER_LOCK = 0x0C_F1_0E_12
"""The advisory lock that orders a refine's request against requests a candidate waits for."""

# The statuses are written into the text, not passed as parameters: only a literal lets the
# planner use the partial index sessions_under_way (migration 0009) in a prepared statement.
_CANDIDATE_WORK_PENDING = f"""
SELECT EXISTS (
    SELECT 1 FROM sessions
    WHERE status = '{PARSING}' AND updated_at > clock_timestamp() - make_interval(secs => $1)
) OR EXISTS (
    SELECT 1 FROM sessions s
    WHERE s.status IN ('{GENERATING}', '{IN_PROGRESS}')
      AND s.updated_at > clock_timestamp() - make_interval(secs => $2)
      AND (s.status = '{GENERATING}' OR s.questions_expected > (
          SELECT count(*) FROM questions q
          WHERE q.session_id = s.id AND q.generation = s.generation AND q.parent_id IS NULL
      ))
) OR EXISTS (
    SELECT 1 FROM answers a
    WHERE a.submitted_at > clock_timestamp() - make_interval(secs => $3)
      AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.question_id = a.question_id)
) OR EXISTS (
    SELECT 1 FROM reports WHERE summary IS NULL AND narrative_due_at > clock_timestamp()
) OR EXISTS (
    SELECT 1 FROM followups WHERE state = 'writing' AND deadline > clock_timestamp()
)
"""

_WAITING = "state = 'pending' OR deadline < clock_timestamp()"
"""A refine to ask for: never asked, put back, or asked and not answered by its deadline."""


async def candidate_work_asked(conn: DbConnection) -> None:
    """In a transaction about to ask for work a candidate waits for: put a refine requested
    back in the queue (see the module docstring)."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", MODEL_ORDER_LOCK)
    put_back = await conn.execute(
        "UPDATE profile_refines SET state = 'pending' WHERE state = 'requested'"
    )
    if put_back != "UPDATE 0":
        log.info("profile refine put back: a candidate's request comes first")


async def candidate_work_pending(conn: DbConnection, settings: GatewaySettings) -> bool:
    """Whether any work a candidate waits for is pending, in any session."""
    pending: bool = await conn.fetchval(
        _CANDIDATE_WORK_PENDING,
        settings.parse_budget_s,
        settings.questions_budget_s,
        settings.evaluation_budget_s,
    )
    return pending


async def store_refine(conn: DbConnection, session_id: uuid.UUID, resume_text: str) -> None:
    """Keep the text the model is to read, until its reading is applied."""
    await conn.execute(
        "INSERT INTO profile_refines (session_id, resume_text) VALUES ($1, $2) "
        "ON CONFLICT (session_id) DO NOTHING",
        session_id,
        resume_text,
    )


async def request_next_refine(pool: Pool, settings: GatewaySettings) -> uuid.UUID | None:
    """Send ``profile.requested`` for the oldest waiting refine if the model is free for it;
    the session's id, or None when nothing was sent."""
    async with pool.acquire() as conn, conn.transaction():
        waiting = await conn.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM profile_refines WHERE {_WAITING})"
        )
        if not waiting:
            return None  # the usual case: one cheap query, no lock
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MODEL_ORDER_LOCK)
        in_flight = await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM profile_refines "
            "WHERE state = 'requested' AND deadline >= clock_timestamp())"
        )
        if in_flight or await candidate_work_pending(conn, settings):
            return None
        row = await conn.fetchrow(
            "SELECT r.session_id, r.resume_text, s.profile FROM profile_refines r "
            f"JOIN sessions s ON s.id = r.session_id WHERE {_WAITING} "
            "ORDER BY r.created_at LIMIT 1 FOR UPDATE OF r"
        )
        if row is None:
            return None
        event = profile_requested(row["session_id"], row["resume_text"], row["profile"], settings)
        await conn.execute(
            "UPDATE profile_refines SET state = 'requested', attempts = attempts + 1, "
            "request_event_id = $2, deadline = $3 WHERE session_id = $1",
            row["session_id"],
            event.event_id,
            event.deadline,
        )
        await enqueue(conn, event)
    session_id: uuid.UUID = row["session_id"]
    log.info("profile refine requested for session %s: the model is free", session_id)
    return session_id


async def refine_activity(conn: DbConnection, session_id: uuid.UUID) -> list[Activity]:
    """The view's line while the model's reading of the session's resume is still to come."""
    waiting = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM profile_refines WHERE session_id = $1)", session_id
    )
    if not waiting:
        return []
    return [Activity(stage="resume", message="The AI reads your resume as soon as it is free")]


class ProfileRefiner(BackgroundTask):
    """Asks for refines until stopped; ``wake()`` after a result: some work may have ended."""

    def __init__(
        self,
        pool: Pool,
        settings: GatewaySettings,
        *,
        on_requested: Callable[[], None],
    ) -> None:
        super().__init__("profile refiner")
        self._pool = pool
        self._settings = settings
        self._on_requested = on_requested
        self.last_error: str | None = None

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                if await request_next_refine(self._pool, self._settings) is not None:
                    self._on_requested()  # the outbox has a new row: publish it now
                self.last_error = None
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                stop_if_cancelled(exc)
                self.last_error = type(exc).__name__
                log.warning("profile refiner: %s; trying again", self.last_error)
            await self.wait_for_wake(self._settings.profile_refine_poll_s)
