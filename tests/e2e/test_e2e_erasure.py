"""Erasure on the running system: after ``DELETE /v1/sessions/{id}`` no byte of the resume, its
text, the job description or the answers is left in any table of the database, nor in any work
queue; what a dead-letter queue may still hold is bounded by its retention.

Two sessions: one interviewed to its report and then deleted, and one deleted while its resume
waits in the parser's queue (the parser is down), whose late result must leave no trace either.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from candidate import JOB_DESCRIPTION, answer_every_question, create_session, resume_docx
from system import RunningSystem, wait_for_status

from careerflow_contracts import routing
from careerflow_messaging import connect
from careerflow_testing.fake_ollama import refused_url
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database, pytest.mark.slow]

SUMMARY_TEXT = "message-driven systems and the databases behind them"
"""A phrase of the resume's summary section, which the parser reads into the profile."""

ANSWER_TEXT = "found an N+1 query, added a covering index"
"""A phrase of every technical answer ``answer_every_question`` gives."""


def _traces(document: bytes, name: str) -> dict[str, str]:
    """What of one session must not outlive it, each as text a table could hold."""
    encoded = base64.urlsafe_b64encode(document).decode()  # as the events carry it
    middle = len(encoded) // 2
    return {
        "name": name,
        "resume text": SUMMARY_TEXT,
        "job description": JOB_DESCRIPTION[:60],
        "document (base64)": encoded[middle : middle + 64],
        "document (hex)": document[len(document) // 2 :][:32].hex(),
    }


async def _found_in_database(system: RunningSystem, traces: dict[str, str]) -> dict[str, list[str]]:
    """Every table of the database (all schemas but the catalogs) searched for each trace, as
    each whole row renders as text (jsonb, text and bytea columns alike)."""
    tables = await system.fetch(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' "
        "AND table_schema NOT IN ('pg_catalog', 'information_schema')"
    )
    assert {row["table_name"] for row in tables} >= {"sessions", "outbox", "inbox", "answers"}
    found: dict[str, list[str]] = {}
    for row in tables:
        table = f'"{row["table_schema"]}"."{row["table_name"]}"'
        for what, text in traces.items():
            hits = await system.fetch(
                f"SELECT count(*) AS n FROM {table} t "  # noqa: S608  (names from the catalog)
                "WHERE strpos(lower(t::text), lower($1)) > 0",
                text,
            )
            if hits[0]["n"]:
                found.setdefault(what, []).append(row["table_name"])
    return found


async def _stale_results_applied(system: RunningSystem) -> float:
    """How many ``resume.parsed`` the gateway dropped as stale (their session was gone)."""
    async with httpx.AsyncClient(timeout=2.0) as client:
        text = (await client.get(f"{system.gateway_url}/metrics")).text
    for line in text.splitlines():
        if (
            line.startswith("careerflow_gateway_events_applied_total{")
            and 'type="resume.parsed"' in line
            and 'outcome="stale"' in line
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_a_deleted_session_leaves_nothing_but_what_dlq_retention_bounds(
    start_system: Any,
) -> None:
    system: RunningSystem = await start_system(refused_url())

    # 1. A whole interview, then its erasure.
    first_name = "Zephyrine Quillfeather"
    first_resume = resume_docx(first_name)
    first = _traces(first_resume, first_name) | {"answer": ANSWER_TEXT}
    async with system.client() as client:
        created = await create_session(client, first_resume)
        ready = await wait_for_status(client, created["id"], {"ready"}, timeout_s=30)
        await answer_every_question(client, ready)
        await wait_for_status(client, created["id"], {"completed"}, timeout_s=45)

        stored = await _found_in_database(system, first)
        # The search sees what a live session holds (the contact details are never stored).
        assert set(stored) == {
            "resume text",
            "job description",
            "document (base64)",
            "answer",
        }, stored

        deleted = await client.delete(f"/v1/sessions/{created['id']}")
        assert deleted.status_code == 204
        assert (await client.get(f"/v1/sessions/{created['id']}")).status_code == 404
    assert await _found_in_database(system, first) == {}

    # 2. A session deleted while its resume waits for a parser that is down.
    await system.kill("resume-parser")
    second_name = "Balthazar Wintermere"
    second_resume = resume_docx(second_name)
    second = _traces(second_resume, second_name)
    async with system.client() as client:
        created = await create_session(client, second_resume)

        async def relayed() -> bool:
            rows = await system.fetch(
                "SELECT sent_at FROM outbox WHERE routing_key = $1", routing.RESUME_SUBMITTED
            )
            return bool(rows) and all(row["sent_at"] is not None for row in rows)

        await wait_until(
            relayed, timeout_s=15, interval_s=0.2, message="the resume relayed to the broker"
        )
        work = await system.queue_depths(dead_letters=False)
        assert work[system.topology.queue_name(routing.RESUME_PARSER)] == 1
        deleted = await client.delete(f"/v1/sessions/{created['id']}")
        assert deleted.status_code == 204
    assert await _found_in_database(system, second) == {}

    # The parser comes back, reads the resume, and its answer finds no session: dropped.
    stale_before = await _stale_results_applied(system)
    await system.start_service("resume-parser")
    await system.wait_ready("resume-parser")

    async def answered_and_dropped() -> bool:
        return await _stale_results_applied(system) > stale_before

    await wait_until(
        answered_and_dropped,
        timeout_s=30,
        interval_s=0.2,
        message="the late resume.parsed dropped as stale",
    )
    assert await _found_in_database(system, second) == {}
    assert await system.fetch("SELECT id FROM sessions") == []

    # 3. The broker: every work queue and DLQ is empty, and every DLQ is the bounded one
    # (declaring it with the retention's arguments is accepted only if it has exactly those).
    assert set((await system.queue_depths(dead_letters=False)).values()) == {0}
    assert set((await system.queue_depths(dead_letters=True)).values()) == {0}
    topology = system.topology
    connection = await connect(system.amqp_url, name=f"{system.tag}-retention")
    try:
        channel = await connection.channel()
        for binding in routing.ALL_BINDINGS:
            await channel.declare_queue(
                topology.dead_letter_queue_name(binding),
                durable=True,
                arguments=topology.dead_letter_queue_arguments(),
            )
        await channel.close()
    finally:
        await connection.close()
    retention = topology.dead_letter_retention
    assert retention.ttl.total_seconds() == 72 * 3600
    assert (retention.max_messages, retention.max_bytes) == (1000, 64 * 1024 * 1024)
