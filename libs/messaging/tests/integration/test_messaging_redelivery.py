"""Losing the connection mid-work: stale acks are dropped, redeliveries have their effect once,
and a publish whose outcome is unknown is retried on the restored channel."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import Event
from careerflow_contracts.routing import GATEWAY_RESULTS
from careerflow_messaging import (
    Consumer,
    Publisher,
    PublishError,
    Topology,
    UnroutableError,
    connect,
)
from careerflow_testing.waiting import wait_until

pytestmark = pytest.mark.broker


async def test_messaging_message_delivered_twice_has_its_effect_once(
    connection: AbstractRobustConnection,
    drop_connection,
    publisher: Publisher,
    topology: Topology,
    make_event,
) -> None:
    """The first delivery's ack goes stale when the broker drops the connection; the broker
    redelivers, and the idempotent handler (an inbox of seen event ids) applies it once."""
    inbox: set[uuid.UUID] = set()
    effects: list[uuid.UUID] = []
    deliveries = 0
    effect_done = asyncio.Event()
    release = asyncio.Event()

    async def handler(event: Event) -> None:
        nonlocal deliveries
        deliveries += 1
        if event.event_id not in inbox:
            inbox.add(event.event_id)
            effects.append(event.event_id)
        if deliveries == 1:
            effect_done.set()
            await release.wait()  # the connection is cut before this delivery is acked

    consumer = Consumer(connection, topology, GATEWAY_RESULTS, handler)
    await consumer.start()
    try:
        event = make_event("twice")
        await publisher.publish(event)
        await asyncio.wait_for(effect_done.wait(), 10)

        reconnected = asyncio.Event()
        connection.reconnect_callbacks.add(lambda *_: reconnected.set())
        await drop_connection()
        await asyncio.wait_for(reconnected.wait(), 10)
        release.set()  # only now: the delivery's channel is certainly gone

        await wait_until(lambda: consumer.stale_acks == 1, message="the stale ack dropped")
        await wait_until(lambda: consumer.acked == 1, message="the redelivery acked")
        assert deliveries == 2
        assert effects == [event.event_id]
        assert consumer.in_flight == 0
    finally:
        await consumer.stop()


async def test_messaging_publish_retries_after_connection_loss(
    amqp_url: str, drop_connection, topology: Topology, make_event
) -> None:
    name = f"test-messaging-{uuid.uuid4().hex[:8]}"
    # A reconnect interval long enough for the test to publish while the connection is down.
    connection = await connect(amqp_url, name=name, reconnect_interval_s=2.0)
    try:
        publisher = Publisher(connection, topology, confirm_timeout_s=5.0)
        await publisher.start()
        # Publish the moment the loss is seen, not when rabbitmqctl returns: on a loaded machine
        # the CLI can take longer than the reconnect interval, and the publish would then meet a
        # connection already restored.
        lost = asyncio.Event()
        connection.close_callbacks.add(lambda *_: lost.set())
        dropping = asyncio.create_task(drop_connection(name))
        await asyncio.wait_for(lost.wait(), timeout=30)
        assert not connection.connected.is_set()
        event = make_event("after the cut")
        await publisher.publish(event)  # fails on the closed channel, retried once restored
        await dropping
        assert (publisher.published, publisher.retries) == (1, 1)

        channel = await connection.channel()
        queue = await channel.get_queue(topology.queue_name(GATEWAY_RESULTS))
        message = await queue.get(no_ack=True, fail=True, timeout=5)
        assert message is not None
        assert message.message_id == str(event.event_id)
    finally:
        await connection.close()


async def test_messaging_publish_gives_up_after_its_attempts(
    amqp_url: str, topology: Topology, make_event
) -> None:
    connection = await connect(amqp_url, name=f"test-messaging-{uuid.uuid4().hex[:8]}")
    publisher = Publisher(connection, topology, confirm_timeout_s=0.2, attempts=3)
    await publisher.start()
    await connection.close()  # the channel never comes back

    with pytest.raises(PublishError) as raised:
        await publisher.publish(make_event())
    assert not isinstance(raised.value, UnroutableError)
    assert (publisher.published, publisher.retries) == (0, 2)
