"""Bursts of sessions and the promises checked after a fault: every session ready, interviews
driven on complete, nothing applied twice, nothing dead-lettered."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from candidate import answer_every_question, create_session, resume_docx
from system import RunningSystem, wait_for_all, wait_for_status

BURST = 50
READY_OR_LATER = {"ready", "in_progress", "completed"}


async def post_burst(
    client: httpx.AsyncClient, count: int = BURST, *, parallel: int = 10
) -> list[str]:
    """Create ``count`` sessions, ``parallel`` uploads at a time; their ids in creation order."""
    gate = asyncio.Semaphore(parallel)

    async def one(index: int) -> str:
        async with gate:
            view = await create_session(client, resume_docx(f"Candidate {index}"))
            return str(view["id"])

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def all_session_ids(system: RunningSystem, user: str) -> list[str]:
    """Every session of ``user`` in the gateway's database, whether or not its creator saw the
    answer."""
    rows = await system.fetch(
        "SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at", user
    )
    return [str(row["id"]) for row in rows]


async def erase_sessions(system: RunningSystem, user: str) -> None:
    """Delete every session of ``user`` through the API; what the system still had to do for
    them (the model's readings of their resumes, waiting for a free model) goes with them."""
    async with system.client(user, timeout_s=30.0) as client:
        for session_id in await all_session_ids(system, user):
            response = await client.delete(f"/v1/sessions/{session_id}")
            assert response.status_code in (204, 404), response.text


async def check_recovered(
    system: RunningSystem,
    session_ids: list[str],
    *,
    user: str,
    ready_timeout_s: float = 90.0,
    complete: int = 2,
) -> None:
    """Every session of ``user`` reaches ready (or went on past it) with ten distinct questions;
    the first ``complete`` of them, still ready, are driven to completed; no result was applied
    twice; every dead-letter queue is empty."""
    async with system.client(user, timeout_s=30.0) as client:
        views = await wait_for_all(
            client, session_ids, READY_OR_LATER | {"failed"}, ready_timeout_s
        )
        failed = [v["id"] for v in views if v["status"] == "failed"]
        assert not failed, f"sessions failed: {failed}"
        for view in views:
            questions = view["questions"]
            assert sorted(q["position"] for q in questions) == list(range(1, 11)), view["id"]
            assert len({q["text"] for q in questions}) == 10, f"repeated question in {view['id']}"
        for view in views[:complete]:
            await answer_every_question(client, view)
        for view in views[:complete]:
            done = await wait_for_status(client, view["id"], {"completed", "failed"}, 60)
            assert done["status"] == "completed", done
            assert done["progress"] == {
                "answered": 10,
                "evaluated": 10,
                "total": 10,
                "written": 10,
                "followups": 0,  # these sessions do not ask for follow-ups
                "skipped": 0,
            }
    await check_nothing_twice(system, session_ids)
    dead = {name: n for name, n in (await system.queue_depths(dead_letters=True)).items() if n}
    assert not dead, f"dead-lettered messages: {dead}"


async def check_nothing_twice(system: RunningSystem, session_ids: list[str]) -> None:
    """In the database: one generation of ten questions per session, each result applied once,
    and no session asked for its questions twice."""
    ids = [uuid.UUID(s) for s in session_ids]
    sessions = await system.fetch(
        "SELECT id, generation FROM sessions WHERE id = ANY($1::uuid[])", ids
    )
    assert {row["generation"] for row in sessions} == {1}, "a session got a second generation"
    questions = await system.fetch(
        "SELECT session_id, count(*) AS n, count(DISTINCT text) AS texts FROM questions"
        " WHERE session_id = ANY($1::uuid[]) GROUP BY session_id",
        ids,
    )
    assert len(questions) == len(ids)
    assert {(row["n"], row["texts"]) for row in questions} == {(10, 10)}
    # Every result applied once: the inbox holds one applied questions.generated per batch that
    # brought new positions (a set of ten comes in one to ten batches; a position is stored once,
    # as the count above shows), and one answer.evaluated per stored evaluation (an evaluation
    # applied twice would leave two).
    applied = await system.fetch(
        "SELECT s.id,"
        " (SELECT count(*) FROM inbox i WHERE i.session_id = s.id"
        "   AND i.type = 'questions.generated' AND i.outcome = 'applied') AS question_sets,"
        " (SELECT count(*) FROM inbox i WHERE i.session_id = s.id"
        "   AND i.type = 'answer.evaluated' AND i.outcome = 'applied') AS evaluated,"
        " (SELECT count(*) FROM evaluations e WHERE e.session_id = s.id) AS evaluations"
        " FROM sessions s WHERE s.id = ANY($1::uuid[])",
        ids,
    )
    assert all(1 <= row["question_sets"] <= 10 for row in applied), "questions applied twice"
    twice = [row["id"] for row in applied if row["evaluated"] != row["evaluations"]]
    assert not twice, f"evaluations applied twice in {twice}"
    requests = await system.fetch(
        "SELECT session_id, count(*) AS n FROM outbox WHERE routing_key = 'questions.requested'"
        " AND session_id = ANY($1::uuid[]) GROUP BY session_id",
        ids,
    )
    assert {row["n"] for row in requests} == {1}, "questions were requested twice"
