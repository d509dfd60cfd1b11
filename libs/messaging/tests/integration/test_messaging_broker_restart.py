"""A broker restart (``rabbitmqctl stop_app`` / ``start_app``) loses no message, and the consumer
and publisher come back by themselves."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import Event
from careerflow_contracts.routing import GATEWAY_RESULTS
from careerflow_messaging import Consumer, Publisher, Topology
from careerflow_testing.topologies import (
    BROKER_BACK_WITHIN_S,
    declared_topology,
    tagged_topology,
    unique_tag,
)
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


@pytest.fixture
async def topology(amqp_url: str) -> AsyncIterator[Topology]:
    """Like the plugin's ``topology`` (no delivery limit of its own, the gateway's results queue
    only), its connection back within 0.5 s of the broker for the deletion."""
    topo = tagged_topology(unique_tag())
    async with declared_topology(amqp_url, topo, [GATEWAY_RESULTS], reconnect_interval_s=0.5):
        yield topo


async def _rabbitmqctl(*args: str) -> None:
    await asyncio.to_thread(
        subprocess.run, ["rabbitmqctl", *args], capture_output=True, timeout=60, check=True
    )


async def _broker_answers(amqp_url: str) -> bool:
    try:
        probe = await aio_pika.connect(amqp_url, timeout=2)
    except (OSError, aio_pika.exceptions.AMQPError, TimeoutError):
        return False
    await probe.close()
    return True


async def test_messaging_broker_restart_keeps_messages_and_consumer_resumes(
    amqp_url: str,
    connection: AbstractRobustConnection,
    publisher: Publisher,
    topology: Topology,
    make_event,
) -> None:
    handled: set[uuid.UUID] = set()
    first_started = asyncio.Event()
    release_first = asyncio.Event()

    async def handler(event: Event) -> None:
        if not first_started.is_set():
            first_started.set()
            await release_first.wait()  # in flight, unacked, while the broker goes down
        handled.add(event.event_id)

    consumer = Consumer(connection, topology, GATEWAY_RESULTS, handler, prefetch=1)
    await consumer.start()
    try:
        before = [make_event(f"before restart {i}") for i in range(5)]
        for event in before:
            await publisher.publish(event)
        await asyncio.wait_for(first_started.wait(), 10)

        try:
            await _rabbitmqctl("stop_app")
            await wait_until(lambda: not connection.connected.is_set(), message="loss seen")
            release_first.set()
            # The first message's effect happened, but its ack cannot reach the broker.
            await wait_until(lambda: consumer.stale_acks == 1, message="stale ack dropped")
        finally:
            await _rabbitmqctl("start_app")
        await wait_until(
            lambda: _broker_answers(amqp_url),
            timeout_s=BROKER_BACK_WITHIN_S,
            interval_s=0.2,
            message="the broker answers again",
        )

        # Nothing was lost: the four queued messages and the unacked one are delivered again.
        await wait_until(
            lambda: handled == {e.event_id for e in before},
            timeout_s=30,
            message="every message published before the restart handled after it",
        )
        after = make_event("after restart")
        await publisher.publish(after)
        await wait_until(lambda: after.event_id in handled, message="a new message flows")
        await wait_until(lambda: consumer.in_flight == 0)
        assert consumer.acked == len(before) + 1
    finally:
        await consumer.stop()
