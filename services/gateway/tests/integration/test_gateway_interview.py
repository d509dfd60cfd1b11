"""A full interview through the API, with the workers replaced by a test double."""

from __future__ import annotations

import asyncio
from statistics import fmean

import pytest
from gateway_testkit import JOB_DESCRIPTION, SCORES, Gateway, WorkerDouble, bearer, session_form

pytestmark = [pytest.mark.database, pytest.mark.broker]


async def test_full_interview_reaches_a_report_whose_numbers_match_the_scores(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    client = gateway.client
    alice = bearer("alice")
    workers.gates["questions.requested"] = asyncio.Event()

    created = await client.post("/v1/sessions", headers=alice, **session_form())
    assert created.status_code == 202, created.text
    session = created.json()
    sid = session["id"]
    assert session["status"] == "parsing"
    assert created.headers["location"] == f"/v1/sessions/{sid}"

    generating = await gateway.wait_status(sid, "generating")
    assert generating["profile"]["skills"] == ["Python", "django"]
    notice = generating["notices"][0]
    assert notice["stage"] == "resume"
    assert "did not answer within 30 s" in notice["message"]

    early = await client.get(f"/v1/sessions/{sid}/report", headers=alice)
    assert early.status_code == 409
    assert early.headers["content-type"] == "application/problem+json"

    workers.gates["questions.requested"].set()
    ready = await gateway.wait_status(sid, "ready")
    assert [q["position"] for q in ready["questions"]] == list(range(1, 11))
    assert ready["progress"] == {
        "answered": 0,
        "evaluated": 0,
        "total": 10,
        "written": 10,
        "followups": 0,
        "skipped": 0,
    }
    assert any(n["stage"] == "questions" for n in ready["notices"])

    for index, question in enumerate(ready["questions"]):
        answered = await client.post(
            f"/v1/sessions/{sid}/answers",
            headers=alice,
            json={"question_id": question["id"], "text": f"My answer number {index}."},
        )
        assert answered.status_code == 202, answered.text
        assert answered.json()["status"] == "in_progress"
        if index == 0:
            again = await client.post(
                f"/v1/sessions/{sid}/answers",
                headers=alice,
                json={"question_id": question["id"], "text": "A second try."},
            )
            assert again.status_code == 409
            not_yet = await client.get(f"/v1/sessions/{sid}/report", headers=alice)
            assert not_yet.status_code == 409

    completed = await gateway.wait_status(sid, "completed")
    assert completed["progress"] == {
        "answered": 10,
        "evaluated": 10,
        "total": 10,
        "written": 10,
        "followups": 0,
        "skipped": 0,
    }
    listed = (await client.get("/v1/sessions", headers=alice)).json()["items"]
    assert [(item["id"], item["status"], item["progress"]) for item in listed] == [
        (sid, "completed", completed["progress"])
    ]

    report_response = await client.get(f"/v1/sessions/{sid}/report", headers=alice)
    assert report_response.status_code == 200
    report = report_response.json()
    scores = [q["answer"]["evaluation"]["score"] for q in completed["questions"]]
    assert scores == SCORES  # equal rubric dimensions score as themselves
    assert report["overall_score"] == pytest.approx(round(fmean(SCORES) * 10, 1))
    assert report["by_kind"]["technical"] == pytest.approx(round(fmean(SCORES[:5]) * 10, 1))
    assert report["by_kind"]["behavioral"] == pytest.approx(round(fmean(SCORES[5:]) * 10, 1))
    assert report["skill_match"] == {
        "matched": ["Python", "Django"],
        "missing": ["PostgreSQL", "Kubernetes"],
        "score": 50.0,
    }
    assert report["summary"] == "A solid interview."
    assert completed["report"] == report

    # The report request carried the same numbers the gateway computed.
    request = next(e for e in workers.received if e.type == "report.requested")
    assert request.payload.overall_score == report["overall_score"]  # type: ignore[union-attr]
    # Version 1, with the job description release 1's evaluator requires (see ReportRequested).
    assert request.version == 1
    assert request.payload.job_description == JOB_DESCRIPTION  # type: ignore[union-attr]

    # Every request event was answered exactly once per type/question.
    kinds = [event.type for event in workers.received]
    assert kinds.count("resume.submitted") == 1
    assert kinds.count("answer.submitted") == 10
    assert kinds.count("report.requested") == 1

    # The status codes this flow saw are the ones /openapi.json documents.
    spec = (await client.get("/openapi.json")).json()
    for path, method, status in [
        ("/v1/sessions", "post", "202"),
        ("/v1/sessions/{session_id}", "get", "200"),
        ("/v1/sessions/{session_id}/answers", "post", "202"),
        ("/v1/sessions/{session_id}/answers", "post", "409"),
        ("/v1/sessions/{session_id}/report", "get", "200"),
        ("/v1/sessions/{session_id}/report", "get", "409"),
    ]:
        assert status in spec["paths"][path][method]["responses"], (path, method, status)
