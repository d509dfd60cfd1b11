"""The report without the wait: its numbers as soon as the last answer is scored, its words
when the evaluator has written them; and what the view says while answers are being scored."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from statistics import fmean
from typing import Any

import httpx
import pytest
from gateway_testkit import (
    SCORES,
    SESSION_FORM,
    Gateway,
    WorkerDouble,
    bearer,
    gateway_settings,
    live_server,
    outbox_events,
    quiet_outbox,
    result_for,
    session_form,
)

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerSubmitted,
    CallSpeed,
    Event,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportRequested,
    routing,
)
from careerflow_gateway.app import create_app
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.result_handlers import ResultNotYetApplicable, apply_result
from careerflow_gateway.sessions import create_session, submit_answer
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.views import get_session_view
from careerflow_messaging import Topology
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database]

NUMBERS = {
    "overall_score": round(fmean(SCORES) * 10, 1),
    "by_kind": {
        "technical": round(fmean(SCORES[:5]) * 10, 1),
        "behavioral": round(fmean(SCORES[5:]) * 10, 1),
    },
    "skill_match": {
        "matched": ["Python", "Django"],
        "missing": ["PostgreSQL", "Kubernetes"],
        "score": 50.0,
    },
    "followups": [],
}
"""The report's numbers for the answers the workers' double scores (see ``SCORES``): no
follow-up, as the session did not ask for them."""


def _numbers_of(report: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in ("overall_score", "by_kind", "skill_match", "followups")}


def _with_speed(event: Event) -> Event:
    """The double's answer, with the model's figures on an evaluation: its position times ten
    tokens a second of writing, so each evaluation's speed is told apart."""
    result = result_for(event)
    if isinstance(event, AnswerSubmitted) and isinstance(result, AnswerEvaluated):
        position = event.payload.question.position
        speed = CallSpeed(load_s=0.5, prompt_tokens_per_s=60.0, output_tokens_per_s=10.0 * position)
        payload = result.payload.model_copy(update={"speed": speed})
        return result.model_copy(update={"payload": payload})
    return result


# --- over the broker, with the workers' double ----------------------------------------------


async def _listed(gateway: Gateway, sid: str) -> dict[str, Any]:
    """The line of ``GET /v1/sessions`` for ``sid``."""
    page = (await gateway.client.get("/v1/sessions", headers=bearer("alice"))).json()
    [line] = [item for item in page["items"] if item["id"] == sid]
    return line


@pytest.mark.broker
async def test_the_numbers_are_readable_as_soon_as_the_last_answer_is_scored(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    client, alice = gateway.client, bearer("alice")
    workers.gates["report.requested"] = asyncio.Event()
    sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
    ready = await gateway.wait_status(sid, "ready")
    assert ready["report_numbers"] is None and ready["report_narrative"] is None
    assert (await _listed(gateway, sid))["overall_score"] is None
    for question in ready["questions"]:
        response = await client.post(
            f"/v1/sessions/{sid}/answers",
            headers=alice,
            json={"question_id": question["id"], "text": "An answer."},
        )
        assert response.status_code == 202

    # Every answer scored; the narrative is held back by the gate: no report.generated yet.
    view = await _wait_view(gateway, sid, lambda v: v["report_numbers"] is not None)
    assert view["status"] == "in_progress"
    assert view["progress"]["evaluated"] == 10
    assert view["report_numbers"] == NUMBERS
    narrative = view["report_narrative"]
    assert narrative["status"] == "pending"
    # The report request commits with the numbers; the relay publishes it just after.
    request = await _first_received(workers, ReportRequested)
    assert request.deadline is not None
    assert narrative["expected_by"] is not None
    assert datetime.fromisoformat(narrative["expected_by"]) == request.deadline
    assert view["report"] is None  # the whole report, words included, is for completed
    assert {"stage": "report", "message": "Writing the report's summary"} in [
        {"stage": a["stage"], "message": a["message"]} for a in view["activity"]
    ]
    early = await client.get(f"/v1/sessions/{sid}/report", headers=alice)
    assert early.status_code == 409
    assert "numbers" in early.json()["detail"]  # it tells where they are meanwhile
    # The list shows the score from then on too.
    assert (await _listed(gateway, sid))["overall_score"] == NUMBERS["overall_score"]

    workers.gates["report.requested"].set()
    completed = await gateway.wait_status(sid, "completed")
    assert completed["report_narrative"] == {"status": "ready", "expected_by": None}
    assert completed["report_numbers"] == NUMBERS
    assert _numbers_of(completed["report"]) == NUMBERS
    assert completed["report"]["summary"] == "A solid interview."
    assert not [a for a in completed["activity"] if a["stage"] == "report"]
    report = await client.get(f"/v1/sessions/{sid}/report", headers=alice)
    assert report.status_code == 200
    assert report.json() == completed["report"]
    assert (await _listed(gateway, sid))["overall_score"] == NUMBERS["overall_score"]


@pytest.mark.broker
async def test_the_event_stream_carries_the_numbers_and_then_the_narrative(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    app = create_app(gateway_settings(database_url, amqp_url), topology=topology)
    workers.gates["report.requested"] = asyncio.Event()
    alice = bearer("alice")
    async with (
        live_server(app) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=20) as client,
    ):
        sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
        seen: list[dict[str, Any]] = []
        answered = False
        async with asyncio.timeout(30):
            async with client.stream("GET", f"/v1/sessions/{sid}/events", headers=alice) as stream:
                async for line in stream.aiter_lines():
                    if not line.startswith("data: "):
                        continue
                    view = json.loads(line.removeprefix("data: "))
                    seen.append(view)
                    if view["status"] == "ready" and not answered:
                        answered = True
                        for question in view["questions"]:
                            await client.post(
                                f"/v1/sessions/{sid}/answers",
                                headers=alice,
                                json={"question_id": question["id"], "text": "An answer."},
                            )
                    if view["report_numbers"] is not None:
                        # Let the narrative be written only once the numbers were streamed.
                        workers.gates["report.requested"].set()
        # The stream ended by itself, after the completed view.
        first_numbers = next(i for i, v in enumerate(seen) if v["report_numbers"] is not None)
        numbers_view = seen[first_numbers]
        assert numbers_view["status"] == "in_progress"
        assert numbers_view["report_numbers"] == NUMBERS
        assert numbers_view["report_narrative"]["status"] == "pending"
        last = seen[-1]
        assert last["status"] == "completed"
        assert first_numbers < len(seen) - 1  # two changes, two messages
        assert last["report_narrative"]["status"] == "ready"
        assert last["report"]["summary"] == "A solid interview."


@pytest.mark.broker
async def test_the_view_says_which_answers_are_being_scored_and_the_models_speed(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    client, alice = gateway.client, bearer("alice")
    workers.answer = _with_speed
    sid = (await client.post("/v1/sessions", headers=alice, **session_form())).json()["id"]
    questions = (await gateway.wait_status(sid, "ready"))["questions"]

    async def answer(position: int) -> dict[str, Any]:
        response = await client.post(
            f"/v1/sessions/{sid}/answers",
            headers=alice,
            json={"question_id": questions[position - 1]["id"], "text": "An answer."},
        )
        assert response.status_code == 202
        view: dict[str, Any] = response.json()
        return view

    workers.gates["answer.submitted"] = asyncio.Event()
    await answer(1)
    view = await answer(2)
    assert view["scoring"] == [1, 2]
    assert view["model_speed"] == []  # nothing measured yet
    scoring = [a for a in view["activity"] if a["stage"] == "evaluation"]
    assert [a["message"] for a in scoring] == ["Scoring answers 1 and 2"]

    workers.gates["answer.submitted"].set()
    view = await _wait_view(gateway, sid, lambda v: v["progress"]["evaluated"] == 2)
    assert view["scoring"] == []
    assert not [a for a in view["activity"] if a["stage"] == "evaluation"]
    [speed] = view["model_speed"]
    assert speed["stage"] == "evaluation"
    assert speed["output_tokens_per_s"] in (10.0, 20.0)  # whichever was stored last
    assert speed["prompt_tokens_per_s"] == 60.0

    view = await answer(7)
    assert view["scoring"] == [7]
    assert [a["message"] for a in view["activity"] if a["stage"] == "evaluation"] == [
        "Scoring answer 7"
    ]
    view = await _wait_view(gateway, sid, lambda v: v["progress"]["evaluated"] == 3)
    assert [s["output_tokens_per_s"] for s in view["model_speed"]] == [70.0]  # the latest


async def _first_received(
    workers: WorkerDouble, kind: type[ReportRequested], timeout_s: float = 15.0
) -> ReportRequested:
    """The first event of ``kind`` the worker double has received; fail after ``timeout_s``."""
    found = await wait_until(
        lambda: [e for e in workers.received if isinstance(e, kind)],
        timeout_s=timeout_s,
        message=f"a {kind.__name__} received",
    )
    return found[0]


async def _wait_view(
    gateway: Gateway, sid: str, done: Callable[[dict[str, Any]], bool], timeout_s: float = 15.0
) -> dict[str, Any]:
    """The session view once ``done(view)`` holds; fail after ``timeout_s``."""

    async def view_when_done() -> dict[str, Any] | None:
        response = await gateway.client.get(f"/v1/sessions/{sid}", headers=bearer("alice"))
        view: dict[str, Any] = response.json()
        return view if done(view) else None

    return await wait_until(view_when_done, timeout_s=timeout_s)


# --- applying results directly, in any order ------------------------------------------------


async def _all_answered(pool: Pool, settings: GatewaySettings) -> list[Event]:
    """A session whose ten answers are submitted and none scored: the ten requests to score."""
    created = await create_session(quiet_outbox(pool), "alice", SESSION_FORM, settings)
    sid = created.view.id
    (submitted,) = await outbox_events(pool, sid, routing.RESUME_SUBMITTED)
    assert await apply_result(pool, result_for(submitted), settings) == "applied"
    (asked,) = await outbox_events(pool, sid, routing.QUESTIONS_REQUESTED)
    assert await apply_result(pool, result_for(asked), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    for question in view.questions:
        await submit_answer(quiet_outbox(pool), "alice", sid, question.id, "An answer.", settings)
    requests = await outbox_events(pool, sid, routing.ANSWER_SUBMITTED)
    assert len(requests) == 10
    return requests


def _narrative(session_id: uuid.UUID, *, fallback: bool, salt: str = "") -> ReportGenerated:
    payload = (
        ReportGeneratedPayload(
            source="fallback",
            fallback_reason="timeout",
            summary="An automatic summary of the scores.",
        )
        if fallback
        else ReportGeneratedPayload(
            source="ai", model="fake", summary="A solid interview.", strengths=["clarity"]
        )
    )
    return ReportGenerated(
        event_id=uuid.uuid5(session_id, f"report.generated:{fallback}:{salt}"),
        session_id=session_id,
        payload=payload,
    )


async def test_the_narrative_fills_in_once_whatever_the_order(
    pool: Pool, settings: GatewaySettings
) -> None:
    requests = await _all_answered(pool, settings)
    sid = requests[0].session_id
    for request in requests[:-1]:
        assert await apply_result(pool, result_for(request), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    assert view.scoring == [10]
    assert view.report_numbers is None and view.report_narrative is None

    # A narrative before the last score is not yet applicable: the broker brings it again.
    early = _narrative(sid, fallback=True)
    with pytest.raises(ResultNotYetApplicable):
        await apply_result(pool, early, settings)

    assert await apply_result(pool, result_for(requests[-1]), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    assert view.status == "in_progress"
    assert view.report_numbers is not None
    assert view.report_numbers.model_dump(mode="json") == NUMBERS
    assert view.report_narrative is not None and view.report_narrative.status == "pending"
    assert view.report is None

    assert await apply_result(pool, early, settings) == "applied"
    done = await get_session_view(pool, sid, "alice")
    assert done.status == "completed"
    assert done.report_narrative is not None
    assert (done.report_narrative.status, done.report_narrative.expected_by) == ("fallback", None)
    assert done.report is not None
    assert done.report.summary == "An automatic summary of the scores."
    assert done.report.source == "fallback"
    assert done.report.model_dump(mode="json", include=set(NUMBERS)) == NUMBERS
    assert [n.code for n in done.notices if n.stage == "report"] == ["ai_timeout"]

    # The same narrative again, or another one: the first stays.
    assert await apply_result(pool, early, settings) == "duplicate"
    assert await apply_result(pool, _narrative(sid, fallback=False), settings) == "stale"
    again = await get_session_view(pool, sid, "alice")
    assert again.model_dump(exclude={"updated_at"}) == done.model_dump(exclude={"updated_at"})
    assert await pool.fetchval("SELECT count(*) FROM reports WHERE session_id = $1", sid) == 1
    (asked,) = await outbox_events(pool, sid, routing.REPORT_REQUESTED)
    assert isinstance(asked, ReportRequested)
    assert asked.payload.overall_score == NUMBERS["overall_score"]


async def test_a_session_scored_by_an_earlier_release_still_completes(
    pool: Pool, settings: GatewaySettings
) -> None:
    requests = await _all_answered(pool, settings)
    sid = requests[0].session_id
    for request in requests:
        assert await apply_result(pool, result_for(request), settings) == "applied"
    # An earlier release stored nothing of the report before its narrative came: take the row
    # this one wrote away, as if the last score had been applied by that release.
    await pool.execute("DELETE FROM reports WHERE session_id = $1", sid)
    view = await get_session_view(pool, sid, "alice")
    assert view.status == "in_progress"
    assert view.report_numbers is None and view.report_narrative is None

    assert await apply_result(pool, _narrative(sid, fallback=False), settings) == "applied"
    done = await get_session_view(pool, sid, "alice")
    assert done.status == "completed"
    assert done.report is not None and done.report.summary == "A solid interview."
    assert done.report.model_dump(mode="json", include=set(NUMBERS)) == NUMBERS
    assert done.report_numbers is not None
    assert done.report_numbers.model_dump(mode="json") == NUMBERS
    assert done.report_narrative is not None and done.report_narrative.status == "ready"
