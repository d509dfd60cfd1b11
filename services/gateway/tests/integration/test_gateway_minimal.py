"""The gateway sends each worker only what it uses and keeps no contact details, even when a
worker of release 1 still sends them (version 1 of ``resume.parsed``)."""

from __future__ import annotations

import json
import uuid

import asyncpg
import pytest
from aio_pika import Message
from alembic.script import ScriptDirectory
from gateway_testkit import PDF, Gateway, bearer, session_form

from careerflow_contracts import routing
from careerflow_gateway.db import upgrade_database
from careerflow_gateway.db.migrate import alembic_config
from careerflow_messaging import Topology, connect

pytestmark = [pytest.mark.database, pytest.mark.broker]

NAME = "Jane Q. Doe"
EMAIL = "jane.doe@example.com"
FILENAME = "Jane_Doe_CV.pdf"


async def _outbox(gateway: Gateway, session_id: str, routing_key: str) -> dict[str, object]:
    async with gateway.state.pool.acquire() as conn:
        body = await conn.fetchval(
            "SELECT body FROM outbox WHERE session_id = $1 AND routing_key = $2",
            uuid.UUID(session_id),
            routing_key,
        )
    assert body is not None, f"no {routing_key} in the outbox"
    event: dict[str, object] = json.loads(body)
    return event


async def test_a_release_1_profile_with_contact_details_is_stored_and_forwarded_without_them(
    gateway: Gateway, amqp_url: str, topology: Topology
) -> None:
    created = await gateway.client.post(
        "/v1/sessions", headers=bearer("alice"), **session_form(PDF, filename=FILENAME)
    )
    assert created.status_code == 202, created.text
    sid = created.json()["id"]

    submitted = await _outbox(gateway, sid, routing.RESUME_SUBMITTED)
    assert submitted["version"] == 2
    assert FILENAME not in json.dumps(submitted)

    # The resume parser of release 1 answers, contact details included.
    request_id = uuid.UUID(str(submitted["event_id"]))
    parsed = {
        "event_id": str(uuid.uuid5(request_id, routing.RESUME_PARSED)),
        "type": routing.RESUME_PARSED,
        "version": 1,
        "occurred_at": "2030-01-01T00:00:00Z",
        "session_id": sid,
        "causation_id": str(request_id),
        "payload": {
            "source": "fallback",
            "fallback_reason": "timeout",
            "duration_ms": 30000,
            "profile": {
                "skills": ["Python"],
                "titles": ["Backend Engineer"],
                "full_name": NAME,
                "email": EMAIL,
                "source": "fallback",
            },
        },
    }
    connection = await connect(amqp_url, name="gateway-test-release-1-parser")
    try:
        channel = await connection.channel()
        exchange = await channel.get_exchange(topology.exchange)
        await exchange.publish(
            Message(json.dumps(parsed).encode(), message_id=parsed["event_id"]),  # type: ignore[arg-type]
            routing_key=routing.RESUME_PARSED,
        )
    finally:
        await connection.close()

    generating = await gateway.wait_status(sid, "generating")
    assert generating["profile"]["skills"] == ["Python"]
    async with gateway.state.pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT profile::text FROM sessions WHERE id = $1", uuid.UUID(sid)
        )
    assert "Python" in stored
    assert NAME not in stored and EMAIL not in stored

    requested = await _outbox(gateway, sid, routing.QUESTIONS_REQUESTED)
    assert requested["version"] == 2
    assert NAME not in json.dumps(requested) and EMAIL not in json.dumps(requested)


async def test_the_upgrade_removes_the_contact_details_release_1_stored(
    empty_database_url: str,
) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    before = script.get_revision("0004").down_revision
    assert isinstance(before, str)
    await upgrade_database(empty_database_url, before)
    conn = await asyncpg.connect(empty_database_url)
    try:
        release_1 = {"skills": ["Python"], "full_name": NAME, "email": EMAIL, "source": "ai"}
        for profile in (json.dumps(release_1), None):
            await conn.execute(
                "INSERT INTO sessions (id, user_id, status, target_role, job_description, "
                "profile) VALUES ($1, 'alice', 'ready', 'Dev', 'Python', $2::jsonb)",
                uuid.uuid4(),
                profile,
            )
        await upgrade_database(empty_database_url)
        stored = [
            None if row["profile"] is None else json.loads(row["profile"])
            for row in await conn.fetch(
                "SELECT profile::text AS profile FROM sessions ORDER BY profile NULLS LAST"
            )
        ]
    finally:
        await conn.close()
    assert stored == [{"skills": ["Python"], "source": "ai"}, None]
