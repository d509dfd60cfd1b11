"""The transactional outbox and its relay: nothing published unless committed, nothing lost
while the broker is away."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from gateway_testkit import (
    PDF,
    Gateway,
    WorkerDouble,
    bearer,
    gateway_settings,
    session_form,
    start_gateway,
)

from careerflow_contracts import ResumeSubmitted, ResumeSubmittedPayload
from careerflow_gateway.db.pool import DbConnection, Pool
from careerflow_gateway.outbox import Outbox, OutboxRelay, enqueue
from careerflow_messaging import Topology
from careerflow_testing.proxy import SwitchableProxy, proxied, target_of
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.database, pytest.mark.broker]


async def _insert_session(conn: DbConnection, session_id: uuid.UUID) -> None:
    """A session for outbox rows to belong to."""
    await conn.execute(
        "INSERT INTO sessions (id, user_id, status, target_role, job_description) "
        "VALUES ($1, 'alice', 'parsing', 'Dev', 'Python')",
        session_id,
    )


def _event(session_id: uuid.UUID) -> ResumeSubmitted:
    return ResumeSubmitted(
        session_id=session_id,
        payload=ResumeSubmittedPayload(document_type="pdf", document=PDF),
    )


async def test_a_rolled_back_transaction_publishes_nothing_and_wakes_no_relay(pool: Pool) -> None:
    published: list[str] = []

    async def publish(routing_key: str, body: bytes, event_id: str) -> None:
        published.append(event_id)

    relay = OutboxRelay(pool)
    relay.attach(publish)
    told: list[str] = []
    outbox = Outbox(pool, committed=lambda: told.append("committed"))
    with pytest.raises(RuntimeError):
        async with outbox.transaction() as conn:
            sid = uuid.uuid4()
            await _insert_session(conn, sid)
            await enqueue(conn, _event(sid))
            raise RuntimeError("the request failed after writing")
    assert await relay.publish_batch() == 0
    assert published == []
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
    assert told == []  # the relay is not woken for a rollback

    committed = uuid.uuid4()
    async with outbox.transaction() as conn:
        await _insert_session(conn, committed)
        await enqueue(conn, _event(committed))
        assert told == []  # not before the commit: the relay would find nothing yet
    assert told == ["committed"]
    assert await relay.publish_batch() == 1
    assert len(published) == 1
    assert await relay.publish_batch() == 0  # marked sent: not published again


async def _enqueue_sessions(pool: Pool, count: int) -> list[str]:
    """``count`` committed sessions with their ``resume.submitted`` rows; their event ids."""
    event_ids: list[str] = []
    for _ in range(count):
        sid = uuid.uuid4()
        event = _event(sid)
        async with pool.acquire() as conn, conn.transaction():
            await _insert_session(conn, sid)
            await enqueue(conn, event)
        event_ids.append(str(event.event_id))
    return event_ids


async def test_a_failed_publish_leaves_the_row_unsent_for_the_next_try(pool: Pool) -> None:
    attempts: list[str] = []

    async def flaky(routing_key: str, body: bytes, event_id: str) -> None:
        attempts.append(event_id)
        if len(attempts) == 2:
            raise ConnectionError("broker went away before confirming")

    event_ids = await _enqueue_sessions(pool, 3)
    relay = OutboxRelay(pool)
    relay.attach(flaky)
    with pytest.raises(ConnectionError):
        await relay.publish_batch()
    # The rows around the failed one were confirmed: only the failed one waits.
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 1
    assert await relay.publish_batch() == 1
    # The unconfirmed one was sent again (same event id), the confirmed ones were not.
    assert attempts == [*event_ids, event_ids[1]]
    assert await relay.publish_batch() == 0


async def test_a_batch_is_published_in_id_order_with_its_confirms_in_flight_together(
    pool: Pool,
) -> None:
    started: list[str] = []
    # No publish is confirmed until every row of the batch has been sent: one publish waiting
    # for its confirm before the next is sent would never get past the first.
    all_sent = asyncio.Barrier(4)

    async def confirmed_once_all_are_sent(routing_key: str, body: bytes, event_id: str) -> None:
        started.append(event_id)
        await all_sent.wait()

    event_ids = await _enqueue_sessions(pool, 4)
    relay = OutboxRelay(pool, batch_size=4)
    relay.attach(confirmed_once_all_are_sent)
    async with asyncio.timeout(10):  # a safety net; a relay that serialises hangs here
        assert await relay.publish_batch() == 4
    assert started == event_ids
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0


async def test_sessions_are_accepted_while_the_broker_is_away_and_proceed_after(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    # The gateway reaches RabbitMQ through a proxy this test cuts: the real broker, shared
    # with other tests, keeps running.
    proxy = SwitchableProxy(*target_of(amqp_url))
    await proxy.reserve_port()
    settings = gateway_settings(database_url, proxied(amqp_url, proxy.port))
    async for gateway in start_gateway(settings, topology):
        ids = []
        for _ in range(3):
            response = await gateway.client.post(
                "/v1/sessions", headers=bearer("alice"), **session_form()
            )
            assert response.status_code == 202
            ids.append(response.json()["id"])
        health = (await gateway.client.get("/health")).json()
        assert health["checks"]["broker"][0]["status"] == "fail"
        assert health["checks"]["outbox"][0]["observedValue"]["unsent"] == 3
        assert (await gateway.client.get("/readyz")).status_code == 200

        await proxy.up()
        for sid in ids:
            await gateway.wait_status(sid, "ready", timeout_s=20)
        async with gateway.state.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0

        # And once more: the connection is cut under a running gateway, then restored.
        await proxy.down()
        await wait_until(
            lambda broker=gateway.state.broker: not broker.connected,
            message="the gateway sees the broker gone",
        )
        late = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **session_form())
        assert late.status_code == 202
        await proxy.up()
        await gateway.wait_status(late.json()["id"], "ready", timeout_s=30)
    await proxy.down()


async def test_the_backlog_drains_in_batches(gateway: Gateway) -> None:
    relay = gateway.state.relay
    await relay.stop()  # hold the relay: the rows pile up as while the broker was away
    for _ in range(45):
        await gateway.client.post("/v1/sessions", headers=bearer("alice"), **session_form())
    pool = gateway.state.pool
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 45
    relay.start()

    async def drained() -> bool:
        return not await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")

    await wait_until(drained, timeout_s=15, message="the backlog drained")
