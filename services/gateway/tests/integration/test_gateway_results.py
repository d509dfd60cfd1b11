"""The results consumer applies each result exactly once in effect, whatever the order and
however often it is delivered."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from gateway_testkit import (
    SESSION_FORM,
    Gateway,
    WorkerDouble,
    bearer,
    outbox_events,
    quiet_outbox,
    result_for,
    session_form,
)

from careerflow_contracts import Event
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.result_handlers import ResultNotYetApplicable, apply_result
from careerflow_gateway.sessions import create_session, submit_answer
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.views import get_session_view

pytestmark = [pytest.mark.database]


async def _drive(
    pool: Pool, settings: GatewaySettings, copies: int, rng: random.Random
) -> dict[str, Any]:
    """Play workers and a broker for one session: every result is delivered ``copies`` times at
    random places among the deliveries still pending; the user answers as soon as it is ready."""
    created = await create_session(quiet_outbox(pool), "alice", SESSION_FORM, settings)
    sid = created.view.id
    answered_requests: set[uuid.UUID] = set()
    pending: list[Event] = []
    answered = False
    outcomes: list[str] = []
    for _ in range(10_000):
        for request in await outbox_events(pool, sid):
            if request.event_id not in answered_requests:
                answered_requests.add(request.event_id)
                result = result_for(request)
                for _ in range(copies):
                    pending.insert(rng.randrange(len(pending) + 1), result)
        view = await get_session_view(pool, sid, "alice")
        if view.status == "ready" and not answered:
            answered = True
            for question in view.questions:
                await submit_answer(
                    quiet_outbox(pool),
                    "alice",
                    sid,
                    question.id,
                    f"Answer {question.position}",
                    settings,
                )
            continue
        if not pending:
            break
        event = pending.pop(0)
        try:
            outcomes.append(await apply_result(pool, event, settings))
        except ResultNotYetApplicable:
            pending.append(event)  # as a requeue would
    assert outcomes.count("applied") == 13  # parsed, generated, 10 evaluations, report
    assert outcomes.count("duplicate") == 13 * (copies - 1)
    final = await get_session_view(pool, sid, "alice")
    return _comparable(final.model_dump(mode="json"))


def _comparable(view: dict[str, Any]) -> dict[str, Any]:
    """The view without what differs between two sessions by construction (ids and times)."""
    view = {k: v for k, v in view.items() if k not in {"id", "created_at", "updated_at"}}
    view["questions"] = [
        {
            **{k: v for k, v in q.items() if k not in {"id", "answer"}},
            "answer": {k: v for k, v in q["answer"].items() if k != "submitted_at"},
        }
        for q in view["questions"]
    ]
    return view


async def test_results_delivered_three_times_in_shuffled_order_give_the_same_view(
    pool: Pool, settings: GatewaySettings
) -> None:
    once = await _drive(pool, settings, copies=1, rng=random.Random(1))
    for seed in (2, 3, 4):
        thrice = await _drive(pool, settings, copies=3, rng=random.Random(seed))
        assert thrice == once, f"seed {seed}"
    assert once["status"] == "completed"
    assert once["report"]["overall_score"] > 0
    assert len(once["notices"]) == 2  # resume and questions fell back, once each


async def test_duplicates_over_the_broker_are_dropped(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    workers.copies = 3
    alice = bearer("alice")
    created = await gateway.client.post("/v1/sessions", headers=alice, **session_form())
    sid = created.json()["id"]
    ready = await gateway.wait_status(sid, "ready")
    for question in ready["questions"]:
        response = await gateway.client.post(
            f"/v1/sessions/{sid}/answers",
            headers=alice,
            json={"question_id": question["id"], "text": "An answer."},
        )
        assert response.status_code == 202
    completed = await gateway.wait_status(sid, "completed")
    assert completed["progress"]["evaluated"] == 10
    pool = gateway.state.pool
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM inbox WHERE session_id = $1", created.json()["id"]
        )
        == 13
    )
    assert await pool.fetchval("SELECT count(*) FROM evaluations") == 10
    # Each request event was sent once, whatever the duplicates of its cause.
    assert (
        await pool.fetchval("SELECT count(*) FROM outbox WHERE routing_key = 'report.requested'")
        == 1
    )
    assert (
        await pool.fetchval("SELECT count(*) FROM outbox WHERE routing_key = 'questions.requested'")
        == 1
    )
