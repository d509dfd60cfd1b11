"""Text a worker wrote that Postgres cannot store (NUL above all) is stored cleaned: the result
is applied, the session moves on, and nothing of the work is lost.

The test double plays a worker that does not clean its text (an older release, or a bug): its
results are altered with ``model_copy``, which does not validate, so the NULs are on the wire.
"""

from __future__ import annotations

from typing import Any

import pytest
from gateway_testkit import Gateway, WorkerDouble, bearer, result_for, session_form

from careerflow_contracts import (
    AnswerEvaluated,
    Event,
    Notice,
    QuestionsGenerated,
    ReportGenerated,
    ResumeParsed,
)

pytestmark = [pytest.mark.database, pytest.mark.broker]

NUL = "\x00"


def _with_nul(text: str) -> str:
    return f"{text[:4]}{NUL}{text[4:]}{NUL}\x1b"


def _unclean_result(event: Event) -> Event:
    """``result_for(event)`` with NUL (and ESC) in the text a model would have written."""
    result = result_for(event)
    payload: Any = result.payload
    notice = Notice(stage="questions", code="model_notice", message="The model said so.")
    dirty_notice = notice.model_copy(update={"message": _with_nul(notice.message)})
    if isinstance(result, ResumeParsed):
        profile = payload.profile.model_copy(
            update={"summary": _with_nul("Ten years of backend work"), "skills": ["Py\x00thon"]}
        )
        payload = payload.model_copy(update={"profile": profile})
    elif isinstance(result, QuestionsGenerated):
        first, *rest = payload.questions
        first = first.model_copy(
            update={"text": _with_nul(first.text), "expected_points": [_with_nul("a point")]}
        )
        payload = payload.model_copy(
            update={"questions": [first, *rest], "notices": [dirty_notice]}
        )
    elif isinstance(result, AnswerEvaluated):
        evaluation = payload.evaluation.model_copy(
            update={"feedback": _with_nul("Clear and to the point."), "strengths": ["cl\x00ear"]}
        )
        payload = payload.model_copy(update={"evaluation": evaluation})
    elif isinstance(result, ReportGenerated):
        payload = payload.model_copy(update={"summary": _with_nul(payload.summary)})
    unclean = result.model_copy(update={"payload": payload})
    assert "\\u0000" in unclean.model_dump_json(), "the NUL must be on the wire"
    return unclean


async def test_results_with_nul_in_their_text_are_stored_cleaned(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    workers.answer = _unclean_result
    alice = bearer("alice")
    created = await gateway.client.post("/v1/sessions", headers=alice, **session_form())
    assert created.status_code == 202, created.text
    sid = created.json()["id"]

    ready = await gateway.wait_status(sid, "ready")
    assert ready["profile"]["summary"] == "Ten years of backend work"
    assert ready["profile"]["skills"] == ["Python"]
    first = ready["questions"][0]
    assert first["text"] == "Question 1 of generation 1: tell me about it."
    assert "The model said so." in [notice["message"] for notice in ready["notices"]]

    for question in ready["questions"]:
        response = await gateway.client.post(
            f"/v1/sessions/{sid}/answers",
            headers=alice,
            json={"question_id": question["id"], "text": "An answer."},
        )
        assert response.status_code == 202, response.text
    completed = await gateway.wait_status(sid, "completed")
    evaluation = completed["questions"][0]["answer"]["evaluation"]
    assert evaluation["feedback"] == "Clear and to the point."
    assert evaluation["strengths"] == ["clear"]
    assert completed["report"]["summary"] == "A solid interview."

    # What the database holds is the cleaned text, not something the view cleaned on the way out
    # (jsonb cannot hold a NUL either: the expected points are a jsonb list).
    row = await gateway.state.pool.fetchrow(
        "SELECT text, expected_points FROM questions WHERE session_id = $1 AND position = 1",
        created.json()["id"],
    )
    assert row is not None
    assert row["text"] == "Question 1 of generation 1: tell me about it."
    assert row["expected_points"] == ["a point"]
