"""Follow-up questions through the API, with the workers replaced by a test double: which answers
get one, the limit, answering a follow-up with its parent's context, skipping one, the end
waiting for them, and the report scoring each topic from both answers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from gateway_testkit import (
    WORKER_BINDINGS,
    Gateway,
    WorkerDouble,
    answer_evaluated,
    bearer,
    result_for,
    serving,
    session_form,
)

from careerflow_contracts import (
    AnswerEvaluated,
    AnswerGaps,
    AnswerSubmitted,
    Event,
    FollowupGenerated,
    FollowupGeneratedPayload,
    FollowupRequested,
    ReportRequested,
    Rubric,
    routing,
)
from careerflow_gateway.report import topic_score
from careerflow_messaging import Topology
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database, pytest.mark.broker]

ALICE = bearer("alice")
THIN = "thin: a rolling update."
STRONG = "strong: a full answer."
COMPLETE = "complete: all points."
FOLLOWUP_SCORE = 9


def _evaluation(event: AnswerSubmitted) -> AnswerEvaluated:
    """Thin answers score 3 and miss a point; strong ones 8, missing one too (never followed
    up); complete ones 6 and lack nothing; a follow-up's answer scores 9."""
    text = event.payload.answer_text
    if event.payload.parent is not None:
        level, gaps = FOLLOWUP_SCORE, AnswerGaps()
    elif text.startswith("thin"):
        level, gaps = 3, AnswerGaps(missed_points=["readiness probes"], vague=True)
    elif text.startswith("strong"):
        level, gaps = 8, AnswerGaps(missed_points=["readiness probes"])
    else:
        level, gaps = 6, AnswerGaps()
    return answer_evaluated(event, level, feedback="ok", gaps=gaps)


def _answer(event: Event) -> Event:
    if isinstance(event, AnswerSubmitted):
        return _evaluation(event)
    if isinstance(event, FollowupRequested):
        return event.reply(
            FollowupGenerated,
            FollowupGeneratedPayload(
                source="fallback",
                fallback_reason="connection_error",
                question_id=event.payload.question_id,
                text=f"You said rolling update. Where do {event.payload.gaps.missed_points[0]} "
                "fit in?",
                expected_points=event.payload.gaps.missed_points,
            ),
        )
    return result_for(event)


@pytest.fixture
async def evaluator_too(amqp_url: str, topology: Topology) -> AsyncIterator[WorkerDouble]:
    """The workers' double, follow-ups included."""
    async with serving(
        amqp_url,
        topology,
        WorkerDouble(answer=_answer),
        (*WORKER_BINDINGS, routing.EVALUATOR_FOLLOWUPS),
    ) as double:
        yield double


async def _ready_session(gateway: Gateway, *, followups: str | None = "true") -> dict[str, Any]:
    form = session_form()
    if followups is not None:
        form["data"]["followups"] = followups
    created = await gateway.client.post("/v1/sessions", headers=ALICE, **form)
    assert created.status_code == 202, created.text
    return await gateway.wait_status(created.json()["id"], "ready")


async def _answer_question(gateway: Gateway, sid: str, question_id: str, text: str) -> None:
    answered = await gateway.client.post(
        f"/v1/sessions/{sid}/answers",
        headers=ALICE,
        json={"question_id": question_id, "text": text},
    )
    assert answered.status_code == 202, answered.text


async def _view_when(gateway: Gateway, sid: str, condition: Any, what: str) -> dict[str, Any]:
    async def seen() -> dict[str, Any] | None:
        view: dict[str, Any] = (
            await gateway.client.get(f"/v1/sessions/{sid}", headers=ALICE)
        ).json()
        return view if condition(view) else None

    return await wait_until(seen, timeout_s=15.0, message=what)


def _followups(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for q in view["questions"] if q["parent_id"] is not None]


async def test_thin_answers_get_follow_ups_up_to_the_limit_and_the_report_counts_them(
    gateway: Gateway, evaluator_too: WorkerDouble
) -> None:
    ready = await _ready_session(gateway)
    sid = ready["id"]
    questions = ready["questions"]
    # Positions 1-4 thin, 5 strong, the rest complete: the limit (3) stops the fourth.
    texts = [THIN] * 4 + [STRONG] + [COMPLETE] * 5
    for question, text in zip(questions, texts, strict=True):
        await _answer_question(gateway, sid, question["id"], text)
        # One at a time: the follow-ups go to the first three thin answers, in order.
        await _view_when(
            gateway,
            sid,
            lambda v, qid=question["id"]: next(q for q in v["questions"] if q["id"] == qid)[
                "answer"
            ]["evaluation"],
            f"question {question['position']} scored",
        )
    view = await _view_when(
        gateway, sid, lambda v: len(_followups(v)) == 3, "three follow-ups written"
    )
    by_parent = {q["parent_id"]: q for q in _followups(view)}
    parents = {q["id"]: q for q in questions}
    assert sorted(parents[p]["position"] for p in by_parent) == [1, 2, 3]
    for parent_id, followup in by_parent.items():
        assert followup["position"] == parents[parent_id]["position"]
        assert "readiness probes" in followup["text"] and followup["source"] == "fallback"
        assert followup["answer"] is None and followup["skipped"] is False
    # Each follow-up is listed right under its parent.
    order = [(q["position"], q["parent_id"] is not None) for q in view["questions"]]
    assert order[:6] == [(1, False), (1, True), (2, False), (2, True), (3, False), (3, True)]
    assert view["progress"]["total"] == 13 and view["progress"]["followups"] == 3
    assert view["followups_writing"] == []
    assert any(
        n["stage"] == "followup" and n["code"] == "ai_connection_error" for n in view["notices"]
    )
    # Every question of the set is scored, but the follow-ups wait: no report yet.
    assert view["status"] == "in_progress" and view["report_numbers"] is None
    requests = [e for e in evaluator_too.received if isinstance(e, FollowupRequested)]
    assert [(r.payload.reason, r.payload.answer_text) for r in requests] == [
        ("missed_points", THIN)
    ] * 3

    first, second, third = (
        next(f for f in _followups(view) if parents[f["parent_id"]]["position"] == position)
        for position in (1, 2, 3)
    )
    await _answer_question(gateway, sid, first["id"], "Readiness probes gate the traffic.")
    skipped = await gateway.client.post(
        f"/v1/sessions/{sid}/questions/{second['id']}/skip", headers=ALICE
    )
    assert skipped.status_code == 200, skipped.text
    assert next(q for q in skipped.json()["questions"] if q["id"] == second["id"])["skipped"]
    await _answer_question(gateway, sid, third["id"], "Probes, then traffic.")

    completed = await gateway.wait_status(sid, "completed")
    assert completed["progress"] == {
        "answered": 12,
        "evaluated": 12,
        "total": 13,
        "written": 13,
        "followups": 3,
        "skipped": 1,
    }
    # The follow-up's answer was scored with its parent's question and answer as context.
    followup_answers = [
        e for e in evaluator_too.received if isinstance(e, AnswerSubmitted) and e.payload.parent
    ]
    assert {e.payload.parent.answer_text for e in followup_answers if e.payload.parent} == {THIN}
    assert {e.payload.question.text for e in followup_answers} == {first["text"], third["text"]}

    report = (await gateway.client.get(f"/v1/sessions/{sid}/report", headers=ALICE)).json()
    thin_score = Rubric(relevance=3, depth=3, structure=3, specificity=3).score()
    topics = [
        topic_score(thin_score, FOLLOWUP_SCORE),
        topic_score(thin_score, None),  # skipped: the first answer's score, not zero
        topic_score(thin_score, FOLLOWUP_SCORE),
        float(thin_score),
        8.0,
        *[6.0] * 5,
    ]
    assert report["overall_score"] == round(sum(topics) / 10 * 10, 1)
    assert [
        (f["position"], f["skipped"], f["score"], f["topic_score"]) for f in report["followups"]
    ] == [
        (1, False, FOLLOWUP_SCORE, topics[0]),
        (2, True, None, float(thin_score)),
        (3, False, FOLLOWUP_SCORE, topics[2]),
    ]
    (request,) = [e for e in evaluator_too.received if isinstance(e, ReportRequested)]
    items = {item.position: item for item in request.payload.items}
    assert len(items) == 10
    assert items[1].followup is not None and items[1].followup.score == FOLLOWUP_SCORE
    assert items[2].followup is not None and items[2].followup.skipped
    assert items[4].followup is None and items[4].topic_score is None


async def test_a_session_that_did_not_ask_for_follow_ups_gets_none(
    gateway: Gateway, evaluator_too: WorkerDouble
) -> None:
    ready = await _ready_session(gateway, followups=None)
    for question in ready["questions"]:
        await _answer_question(gateway, ready["id"], question["id"], THIN)
    completed = await gateway.wait_status(ready["id"], "completed")
    assert _followups(completed) == [] and completed["progress"]["total"] == 10
    assert not any(isinstance(e, FollowupRequested) for e in evaluator_too.received)


async def test_the_end_waits_for_a_follow_up_being_written_and_only_follow_ups_are_skipped(
    gateway: Gateway, evaluator_too: WorkerDouble
) -> None:
    evaluator_too.gates["followup.requested"] = asyncio.Event()
    ready = await _ready_session(gateway)
    sid = ready["id"]
    main = ready["questions"]
    refused = await gateway.client.post(
        f"/v1/sessions/{sid}/questions/{main[0]['id']}/skip", headers=ALICE
    )
    assert refused.status_code == 409 and refused.json()["type"].endswith("not-a-followup")
    missing = await gateway.client.post(
        f"/v1/sessions/{sid}/questions/{uuid.uuid4()}/skip", headers=ALICE
    )
    assert missing.status_code == 404
    for index, question in enumerate(main):
        await _answer_question(gateway, sid, question["id"], THIN if index == 0 else COMPLETE)

    writing = await _view_when(
        gateway, sid, lambda v: v["progress"]["evaluated"] == 10, "every answer scored"
    )
    assert writing["status"] == "in_progress" and writing["report_numbers"] is None
    assert writing["followups_writing"] == [1]
    assert {"stage": "followup", "message": "Writing a follow-up to question 1"}.items() <= next(
        a for a in writing["activity"] if a["stage"] == "followup"
    ).items()
    assert writing["progress"]["total"] == 11 and writing["progress"]["written"] == 10

    evaluator_too.gates["followup.requested"].set()
    asked = await _view_when(gateway, sid, lambda v: _followups(v), "the follow-up written")
    (followup,) = _followups(asked)
    assert asked["status"] == "in_progress" and asked["followups_writing"] == []

    url = f"/v1/sessions/{sid}/questions/{followup['id']}/skip"
    assert (await gateway.client.post(url, headers=ALICE)).status_code == 200
    # Skipping again changes nothing; answering a skipped follow-up is refused.
    assert (await gateway.client.post(url, headers=ALICE)).status_code == 200
    late = await gateway.client.post(
        f"/v1/sessions/{sid}/answers",
        headers=ALICE,
        json={"question_id": followup["id"], "text": "Now I know."},
    )
    assert late.status_code == 409
    # The skip was the last thing open: it asked for the report.
    completed = await gateway.wait_status(sid, "completed")
    assert completed["progress"]["skipped"] == 1
    report = (await gateway.client.get(f"/v1/sessions/{sid}/report", headers=ALICE)).json()
    assert [(f["position"], f["skipped"]) for f in report["followups"]] == [(1, True)]


async def test_the_followups_field_is_true_or_false(gateway: Gateway) -> None:
    form = session_form()
    form["data"]["followups"] = "sometimes"
    refused = await gateway.client.post("/v1/sessions", headers=ALICE, **form)
    assert refused.status_code == 422
    assert refused.json()["invalid_params"] == [
        {"name": "followups", "reason": "must be true or false"}
    ]
