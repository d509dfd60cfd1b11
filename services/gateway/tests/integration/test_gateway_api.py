"""Each endpoint's success and failure answers, against real Postgres and RabbitMQ."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta

import asyncpg
import jwt
import pytest
from alembic.script import ScriptDirectory
from gateway_testkit import (
    PDF,
    PROBLEM,
    SECRET,
    Gateway,
    WorkerDouble,
    bearer,
    docx_bytes,
    gateway_settings,
    new_id,
    session_form,
    start_gateway,
)

from careerflow_gateway.auth import mint_token
from careerflow_gateway.db import upgrade_database
from careerflow_gateway.db.migrate import MIGRATION_LOCK_KEY, alembic_config
from careerflow_messaging import Topology

pytestmark = [pytest.mark.database, pytest.mark.broker]


async def _create(gateway: Gateway, user: str = "alice", **headers: str) -> dict[str, object]:
    response = await gateway.client.post(
        "/v1/sessions", headers={**bearer(user), **headers}, **session_form()
    )
    assert response.status_code == 202, response.text
    body: dict[str, object] = response.json()
    return body


async def test_requests_without_a_valid_token_are_401(gateway: Gateway) -> None:
    client = gateway.client
    expired = mint_token(
        SECRET, "alice", ttl=timedelta(minutes=5), now=datetime.now(UTC) - timedelta(minutes=10)
    )
    no_exp = jwt.encode({"sub": "alice"}, SECRET, "HS256")
    for headers in (
        {},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {no_exp}"},
        bearer("alice", secret="another-secret-of-enough-length-0123"),
        {"Authorization": "Basic YWxpY2U6eA=="},
    ):
        response = await client.get("/v1/sessions", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401
    expired_response = await client.get(
        "/v1/sessions", headers={"Authorization": f"Bearer {expired}"}
    )
    assert "expired" in expired_response.json()["detail"]


async def test_another_users_session_is_404_like_a_missing_one(gateway: Gateway) -> None:
    session = await _create(gateway, "alice")
    sid = session["id"]
    bob = bearer("bob")
    client = gateway.client
    for method, path in [
        ("GET", f"/v1/sessions/{sid}"),
        ("GET", f"/v1/sessions/{sid}/events"),
        ("GET", f"/v1/sessions/{sid}/report"),
        ("POST", f"/v1/sessions/{sid}/regenerate"),
        ("DELETE", f"/v1/sessions/{sid}"),
        ("GET", f"/v1/sessions/{new_id()}"),
    ]:
        response = await client.request(method, path, headers=bob)
        assert response.status_code == 404, (method, path)
        assert response.headers["content-type"] == PROBLEM
    answer = await client.post(
        f"/v1/sessions/{sid}/answers", headers=bob, json={"question_id": new_id(), "text": "x"}
    )
    assert answer.status_code == 404
    assert (await client.get("/v1/sessions", headers=bob)).json()["items"] == []
    # Alice still has it: nothing Bob did touched it.
    assert (await client.get(f"/v1/sessions/{sid}", headers=bearer("alice"))).status_code == 200


async def test_uploads_are_judged_by_content(gateway: Gateway) -> None:
    client = gateway.client
    alice = bearer("alice")
    random_pdf = session_form(os.urandom(4096), filename="resume.pdf")
    response = await client.post("/v1/sessions", headers=alice, **random_pdf)
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM

    zip_without_document = session_form(b"PK\x05\x06" + b"\0" * 18, filename="resume.docx")
    assert (
        await client.post("/v1/sessions", headers=alice, **zip_without_document)
    ).status_code == 415

    docx = session_form(docx_bytes(), filename="cv.bin")
    accepted = await client.post("/v1/sessions", headers=alice, **docx)
    assert accepted.status_code == 202
    async with gateway.state.pool.acquire() as conn:
        body = await conn.fetchval(
            "SELECT body FROM outbox WHERE session_id = $1", accepted.json()["id"]
        )
    assert '"document_type":"docx"' in body

    not_multipart = await client.post("/v1/sessions", headers=alice, json={"resume": "x"})
    assert not_multipart.status_code == 415


async def test_missing_or_bad_fields_are_422_naming_each_field(gateway: Gateway) -> None:
    client = gateway.client
    alice = bearer("alice")
    missing = await client.post(
        "/v1/sessions",
        headers=alice,
        files={"resume": ("resume.pdf", PDF, "application/pdf")},
        data={"target_role": "   "},
    )
    assert missing.status_code == 422
    assert missing.headers["content-type"] == PROBLEM
    names = {param["name"] for param in missing.json()["invalid_params"]}
    assert names == {"job_description", "target_role"}

    too_long = session_form()
    too_long["data"]["job_description"] = "x" * 20_001
    response = await client.post("/v1/sessions", headers=alice, **too_long)
    assert response.status_code == 422
    assert response.json()["invalid_params"][0]["name"] == "job_description"

    no_file = await client.post(
        "/v1/sessions",
        headers=alice,
        data={"job_description": "Python", "target_role": "Dev"},
        files={"other": ("x.txt", b"x", "text/plain")},
    )
    assert no_file.status_code == 422
    assert [p["name"] for p in no_file.json()["invalid_params"]] == ["resume"]

    bad_answer = await client.post(
        f"/v1/sessions/{new_id()}/answers", headers=alice, json={"text": ""}
    )
    assert bad_answer.status_code == 422
    assert {p["name"] for p in bad_answer.json()["invalid_params"]} == {"question_id", "text"}

    bad_limit = await client.get("/v1/sessions?limit=0", headers=alice)
    assert bad_limit.status_code == 422
    assert bad_limit.json()["invalid_params"][0]["name"] == "limit"
    assert (await client.get("/v1/sessions?cursor=nonsense", headers=alice)).status_code == 422


async def test_an_upload_over_5_mib_is_413(gateway: Gateway) -> None:
    big = session_form(b"%PDF-" + os.urandom(6 * 1024 * 1024), filename="resume.pdf")
    response = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **big)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    async with gateway.state.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM sessions") == 0


async def test_the_same_idempotency_key_gives_one_session(gateway: Gateway) -> None:
    first = await _create(gateway, "alice", **{"Idempotency-Key": "key-1"})
    second = await _create(gateway, "alice", **{"Idempotency-Key": "key-1"})
    other_user = await _create(gateway, "bob", **{"Idempotency-Key": "key-1"})
    assert first["id"] == second["id"]
    assert other_user["id"] != first["id"]
    async with gateway.state.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM sessions") == 2
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 2


async def test_sessions_are_listed_newest_first_page_by_page(gateway: Gateway) -> None:
    ids = [(await _create(gateway))["id"] for _ in range(5)]
    await _create(gateway, "bob")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (
            await gateway.client.get("/v1/sessions", headers=bearer("alice"), params=params)
        ).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))


async def test_delete_erases_the_session_and_everything_derived(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    alice = bearer("alice")
    session = await _create(gateway, "alice", **{"Idempotency-Key": "k"})
    sid = str(session["id"])
    ready = await gateway.wait_status(sid, "ready")
    question = ready["questions"][0]["id"]
    answered = await gateway.client.post(
        f"/v1/sessions/{sid}/answers", headers=alice, json={"question_id": question, "text": "A"}
    )
    assert answered.status_code == 202

    deleted = await gateway.client.delete(f"/v1/sessions/{sid}", headers=alice)
    assert deleted.status_code == 204
    assert (await gateway.client.get(f"/v1/sessions/{sid}", headers=alice)).status_code == 404
    async with gateway.state.pool.acquire() as conn:
        for table in (
            "sessions WHERE id = $1",
            "questions WHERE session_id = $1",
            "answers WHERE session_id = $1",
            "evaluations WHERE session_id = $1",
            "outbox WHERE session_id = $1",
            "inbox WHERE session_id = $1",
            "idempotency_keys WHERE session_id = $1",
        ):
            assert await conn.fetchval(f"SELECT count(*) FROM {table}", session["id"]) == 0, table


async def test_regenerate_replaces_the_questions_until_answering_begins(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    alice = bearer("alice")
    sid = str((await _create(gateway))["id"])
    first = await gateway.wait_status(sid, "ready")
    again = await gateway.client.post(f"/v1/sessions/{sid}/regenerate", headers=alice)
    assert again.status_code == 202
    assert again.json()["status"] == "generating"
    second = await gateway.wait_status(sid, "ready")
    assert "generation 2" in second["questions"][0]["text"]
    assert {q["id"] for q in first["questions"]}.isdisjoint(q["id"] for q in second["questions"])
    assert len([n for n in second["notices"] if n["stage"] == "questions"]) == 1

    stale = await gateway.client.post(
        f"/v1/sessions/{sid}/answers",
        headers=alice,
        json={"question_id": first["questions"][0]["id"], "text": "old question"},
    )
    assert stale.status_code == 404
    answer = {"question_id": second["questions"][0]["id"], "text": "An answer"}
    assert (
        await gateway.client.post(f"/v1/sessions/{sid}/answers", headers=alice, json=answer)
    ).status_code == 202
    refused = await gateway.client.post(f"/v1/sessions/{sid}/regenerate", headers=alice)
    assert refused.status_code == 409


async def test_answering_before_the_questions_exist_is_409(gateway: Gateway) -> None:
    sid = (await _create(gateway))["id"]
    response = await gateway.client.post(
        f"/v1/sessions/{sid}/answers",
        headers=bearer("alice"),
        json={"question_id": new_id(), "text": "x"},
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM


async def test_health_and_metrics_report_the_dependencies(gateway: Gateway) -> None:
    await _create(gateway)
    health = await gateway.client.get("/health")
    assert health.headers["content-type"].startswith("application/health+json")
    checks = health.json()["checks"]
    assert set(checks) == {"database", "broker", "outbox"}
    assert checks["database"][0]["status"] == "pass"
    assert "oldest_unsent_age_s" in checks["outbox"][0]["observedValue"]
    assert (await gateway.client.get("/readyz")).status_code == 200
    metrics = (await gateway.client.get("/metrics")).text
    assert (
        'careerflow_gateway_requests_total{method="POST",route="/v1/sessions",status="202"}'
        in metrics
    )
    for name in (
        "careerflow_gateway_events_published_total",
        "careerflow_gateway_events_applied_total",
        "careerflow_gateway_duplicates_dropped_total",
    ):
        assert f"# TYPE {name} counter" in metrics


async def test_openapi_documents_every_endpoint_with_problem_bodies(gateway: Gateway) -> None:
    spec = (await gateway.client.get("/openapi.json")).json()
    paths = spec["paths"]
    expected = {
        ("/v1/sessions", "post"): {"202", "401", "413", "415", "422"},
        ("/v1/sessions", "get"): {"200", "401", "422"},
        ("/v1/sessions/{session_id}", "get"): {"200", "401", "404"},
        ("/v1/sessions/{session_id}", "delete"): {"204", "401", "404"},
        ("/v1/sessions/{session_id}/events", "get"): {"200", "401", "404"},
        ("/v1/sessions/{session_id}/answers", "post"): {"202", "401", "404", "409", "422"},
        ("/v1/sessions/{session_id}/regenerate", "post"): {"202", "401", "404", "409"},
        ("/v1/sessions/{session_id}/report", "get"): {"200", "401", "404", "409"},
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, method, set(responses))
        for status in statuses - {"200", "202", "204"}:
            assert "application/problem+json" in responses[status]["content"], (path, status)
    form = paths["/v1/sessions"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert form["schema"]["required"] == ["resume", "job_description", "target_role"]
    assert "ProblemDetails" in spec["components"]["schemas"]
    for path in ("/livez", "/readyz", "/health", "/metrics"):
        assert path in paths


async def test_migrations_are_applied_once(
    empty_database_url: str, amqp_url: str, topology: Topology
) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    settings = gateway_settings(empty_database_url, amqp_url)
    async for gateway in start_gateway(settings, topology):  # the first start migrates
        await _create(gateway)
    await upgrade_database(empty_database_url)  # a second start: nothing to do, nothing lost
    conn = await asyncpg.connect(empty_database_url)
    try:
        assert await conn.fetch("SELECT version_num FROM alembic_version") == [(head,)]
        assert await conn.fetchval("SELECT count(*) FROM sessions") == 1
    finally:
        await conn.close()


async def test_a_start_on_a_migrated_database_does_not_wait_for_a_migrating_replica(
    database_url: str,
) -> None:
    """At the head, a start only reads the version: it neither takes the migration lock nor
    runs Alembic, so it does not queue behind a replica that holds the lock."""
    replica = await asyncpg.connect(database_url)
    try:
        async with replica.transaction():
            await replica.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK_KEY)
            await asyncio.wait_for(upgrade_database(database_url), timeout=10)
    finally:
        await replica.close()
