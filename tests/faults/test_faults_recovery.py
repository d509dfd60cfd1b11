"""Faults under a burst of 50 sessions in flight: the broker restarted, each worker killed
mid-message, Postgres restarted, the outbox relay (inside the gateway) killed.

After each: every session reaches ready, interviews driven on complete, nothing is applied twice
and every dead-letter queue is empty (``burst.check_recovered``). These tests restart servers
other tests share, so they are marked ``faults`` and run one after another.

The tests share one running system (``shared_system``) and one healthy fake model, whose latency
each sets; each test is a user of its own, checks its own sessions, and erases them after it, so
the model's readings of their resumes, which wait for a free model, do not run into the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
import pytest_asyncio
from burst import BURST, all_session_ids, check_recovered, erase_sessions, post_burst
from candidate import answer_text, create_session, resume_docx
from model_answers import realistic_answer
from system import SERVICES, RunningSystem, SharedSystems, wait_for_all

from careerflow_testing.fake_ollama import FakeOllama, refused_url
from careerflow_testing.waiting import wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.e2e,
    pytest.mark.broker,
    pytest.mark.database,
    pytest.mark.slow,
    pytest.mark.timeout(240),
    pytest.mark.asyncio(loop_scope="session"),
]

WORKERS_ENV = {"PREFETCH": "4", "OLLAMA_TIMEOUT_S": "5", "OLLAMA_READ_TIMEOUT_S": "5"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def model(shared_system: SharedSystems) -> AsyncIterator[FakeOllama]:
    with FakeOllama() as fake:
        yield fake
        await shared_system.release(fake.url)


@pytest_asyncio.fixture(loop_scope="session")
async def system(
    shared_system: SharedSystems, model: FakeOllama, user: str
) -> AsyncIterator[RunningSystem]:
    """The shared system, idle, on a healthy model; ``user``'s sessions erased after the test."""
    running = await shared_system(model.url, worker_env=WORKERS_ENV)
    model.reset()
    model.set_responder(realistic_answer)
    yield running
    await erase_sessions(running, user)


def _takes(model: FakeOllama, latency_s: float) -> None:
    """The model takes ``latency_s`` a call, so messages are in flight for a while."""
    model.set_latency(latency_s)


async def _run(*command: str, timeout_s: float = 60.0) -> None:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout_s)
    assert process.returncode == 0, f"{command} failed: {output.decode(errors='replace')}"


async def test_broker_restart_loses_and_repeats_nothing(
    system: RunningSystem, model: FakeOllama, user: str
) -> None:
    _takes(model, 0.1)
    async with system.client(user) as client:
        ids = await post_burst(client)

    async def broker_checks() -> set[str]:
        return set(await asyncio.gather(*(system.broker_status(name) for name in SERVICES)))

    try:
        await _run("rabbitmqctl", "stop_app")
        await wait_until(
            lambda: _only(broker_checks, "fail"),
            timeout_s=30,
            interval_s=0.2,
            message="every service's /health sees the broker gone",
        )
    finally:
        await _run("rabbitmqctl", "start_app")
        await _run("rabbitmqctl", "await_startup")
    await wait_until(
        lambda: _only(broker_checks, "pass"),
        timeout_s=60,
        interval_s=0.2,
        message="every service's /health sees the broker back",
    )
    await check_recovered(system, ids, user=user)


async def _only(statuses: Callable[[], Awaitable[set[str]]], status: str) -> bool:
    return await statuses() == {status}


@pytest.mark.parametrize("worker", ["resume-parser", "question-gen"])
async def test_worker_killed_mid_message_loses_and_repeats_nothing(
    system: RunningSystem, model: FakeOllama, user: str, worker: str
) -> None:
    _takes(model, 0.3)
    async with system.client(user) as client:
        ids = await post_burst(client)
    await wait_until(
        lambda: system.in_flight(worker), timeout_s=30, message=f"{worker} handling a message"
    )
    await system.restart(worker)
    await check_recovered(system, ids, user=user)


async def test_evaluator_killed_mid_message_loses_and_repeats_nothing(
    system: RunningSystem, model: FakeOllama, user: str
) -> None:
    _takes(model, 0.3)
    async with system.client(user, timeout_s=30.0) as client:
        ids = await post_burst(client)
        views = await wait_for_all(client, ids, {"ready"}, 90)
        # one answer in each of the 50 sessions: 50 evaluations in flight
        for view in views:
            first = min(view["questions"], key=lambda q: q["position"])
            response = await client.post(
                f"/v1/sessions/{view['id']}/answers",
                json={"question_id": first["id"], "text": answer_text(first)},
            )
            assert response.status_code == 202, response.text
    await wait_until(
        lambda: system.in_flight("evaluator"),
        timeout_s=30,
        message="evaluator handling a message",
    )
    await system.restart("evaluator")
    await wait_until(
        _all_evaluated(system, ids), timeout_s=60, message="every first answer evaluated"
    )
    # the rest of the interview of two sessions, so they complete
    async with system.client(user) as client:
        for view in views[:2]:
            for question in sorted(view["questions"], key=lambda q: q["position"])[1:]:
                response = await client.post(
                    f"/v1/sessions/{view['id']}/answers",
                    json={"question_id": question["id"], "text": answer_text(question)},
                )
                assert response.status_code == 202, response.text
    await check_recovered(system, ids, user=user, complete=0)
    async with system.client(user) as client:
        done = await wait_for_all(client, [v["id"] for v in views[:2]], {"completed"}, 60)
    assert all(view["report"] for view in done)


def _all_evaluated(system: RunningSystem, session_ids: list[str]) -> Any:
    async def check() -> bool:
        rows = await system.fetch(
            "SELECT count(*) AS n FROM evaluations WHERE session_id = ANY($1::uuid[])",
            [uuid.UUID(s) for s in session_ids],
        )
        return bool(rows[0]["n"] >= len(session_ids))

    return check


def _postgres_cluster() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    assert versions, "no local PostgreSQL cluster to restart"
    return versions[-1]


async def _postgres_answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=2)
    except (OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


async def test_postgres_restart_loses_and_repeats_nothing(
    system: RunningSystem, model: FakeOllama, user: str
) -> None:
    _takes(model, 0.1)
    async with system.client(user) as client:
        ids = await post_burst(client)
    pg = ["pg_ctlcluster", "--skip-systemctl-redirect", _postgres_cluster(), "main"]
    try:
        await _run(*pg, "restart")
    finally:
        if not await _postgres_answers(system.database_url):
            await _run(*pg, "start")
        await wait_until(
            lambda: _postgres_answers(system.database_url),
            timeout_s=30,
            message="Postgres back",
        )
    await check_recovered(system, ids, user=user)


async def test_outbox_relay_killed_loses_and_repeats_nothing(
    system: RunningSystem, model: FakeOllama, user: str
) -> None:
    """The relay runs inside the gateway: SIGKILL the gateway while uploads come in and its
    outbox holds unsent events; clients retry their failed uploads with the same key.

    The gateway starts with its broker out of reach, so the backlog is certain to be there when
    it dies (a healthy relay drains each event as soon as it commits); it comes back with the
    broker, and the relay that starts then must send what the killed one left.
    """
    _takes(model, 0.05)
    out_of_reach = f"amqp://guest:guest@127.0.0.1:{urlsplit(refused_url()).port}/"
    configured = system.service_env
    system.service_env = {**configured, "gateway": {"AMQP_URL": out_of_reach}}
    await system.restart("gateway")
    keys = [f"upload-{i}" for i in range(BURST)]
    gate = asyncio.Semaphore(10)

    async def upload(key: str) -> None:
        async with gate, system.client(user) as client:
            with contextlib.suppress(Exception):  # the gateway dies under some of these
                await create_session(client, resume_docx(key), idempotency_key=key)

    uploads = [asyncio.create_task(upload(key)) for key in keys]
    await wait_until(_unsent_outbox(system), timeout_s=30, message="events waiting in the outbox")
    await system.kill("gateway")
    await asyncio.gather(*uploads)
    # What the killed relay left: every event written before the kill.
    written = await system.fetch("SELECT coalesce(max(id), 0) AS last FROM outbox")
    system.service_env = configured
    await system.start_service("gateway")
    await system.wait_ready("gateway")
    # every client retries with its key: a session created before the kill is returned
    async with system.client(user) as client:
        retried = [await create_session(client, idempotency_key=key) for key in keys]
    ids = [str(view["id"]) for view in retried]
    assert len(set(ids)) == BURST
    assert sorted(await all_session_ids(system, user)) == sorted(ids), "an upload made two sessions"
    await check_recovered(system, ids, user=user)
    # The relay that started after the kill sent all of it (events written since, such as the
    # requests for the model's readings of the resumes, may be on their way).
    unsent = await system.fetch(
        "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND id <= $1",
        written[0]["last"],
    )
    assert unsent[0]["n"] == 0


def _unsent_outbox(system: RunningSystem) -> Any:
    async def check() -> bool:
        rows = await system.fetch("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
        return bool(rows[0]["n"] >= 5)

    return check
