"""The consumer runner against the real broker: ack, nack to the DLQ, reject, pause and resume."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from aio_pika import Message
from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import Event
from careerflow_contracts.routing import GATEWAY_RESULTS
from careerflow_messaging import Consumer, Handler, Publisher, Topology
from careerflow_testing.waiting import wait_until

pytestmark = pytest.mark.broker


@pytest.fixture
async def consumers(
    connection: AbstractRobustConnection, topology: Topology
) -> AsyncIterator[Callable[..., Consumer]]:
    """Build consumers of the gateway's results queue; every one is stopped after the test."""
    built: list[Consumer] = []

    def build(handler: Handler, *, prefetch: int = 1) -> Consumer:
        consumer = Consumer(connection, topology, GATEWAY_RESULTS, handler, prefetch=prefetch)
        built.append(consumer)
        return consumer

    yield build
    for consumer in built:
        await consumer.stop()


async def queue_depth(connection: AbstractRobustConnection, queue_name: str) -> int:
    channel = await connection.channel()
    try:
        queue = await channel.get_queue(queue_name)
        return queue.declaration_result.message_count or 0
    finally:
        await channel.close()


async def test_messaging_handler_success_acks(
    consumers, publisher: Publisher, connection, topology: Topology, make_event
) -> None:
    handled: list[Event] = []

    async def handler(event: Event) -> None:
        handled.append(event)

    consumer = consumers(handler)
    await consumer.start()
    sent = [make_event(f"n{i}") for i in range(3)]
    for event in sent:
        await publisher.publish(event)

    await wait_until(lambda: consumer.acked == 3, message="three acks")
    assert handled == sent
    assert (consumer.consumed, consumer.nacked, consumer.rejected) == (3, 0, 0)
    assert consumer.in_flight == 0
    assert await queue_depth(connection, topology.queue_name(GATEWAY_RESULTS)) == 0


async def test_messaging_declaring_topology_again_is_fine(
    consumers, connection: AbstractRobustConnection, topology: Topology
) -> None:
    from careerflow_messaging import declare_topology

    channel = await connection.channel()
    await declare_topology(channel, topology)  # the fixture declared it already
    await declare_topology(channel, topology)
    consumer = consumers(lambda _: asyncio.sleep(0))
    await consumer.start()  # declares its own binding once more
    await channel.close()


async def test_messaging_queue_arguments_are_enforced(
    connection: AbstractRobustConnection, topology: Topology
) -> None:
    """The queue is the quorum queue with this delivery limit: another limit is refused."""
    from dataclasses import replace

    from aio_pika.exceptions import ChannelPreconditionFailed

    from careerflow_messaging import declare_topology

    channel = await connection.channel()
    other = replace(topology, delivery_limit=topology.delivery_limit + 1)
    with pytest.raises(ChannelPreconditionFailed):
        await declare_topology(channel, other, [GATEWAY_RESULTS])


async def test_messaging_poison_message_reaches_dlq_and_others_flow(
    consumers, publisher: Publisher, connection, topology: Topology, make_event
) -> None:
    poison = make_event("poison")
    attempts = 0
    handled: list[uuid.UUID] = []

    async def handler(event: Event) -> None:
        nonlocal attempts
        if event.event_id == poison.event_id:
            attempts += 1
            raise RuntimeError("this message always fails")
        handled.append(event.event_id)

    consumer = consumers(handler)
    await consumer.start()
    await publisher.publish(poison)
    good = [make_event(f"good {i}") for i in range(3)]
    for event in good:
        await publisher.publish(event)

    dlq = topology.dead_letter_queue_name(GATEWAY_RESULTS)

    async def dead_lettered() -> bool:
        return await queue_depth(connection, dlq) == 1

    await wait_until(dead_lettered, message="the poison message in the DLQ")
    await wait_until(lambda: sorted(handled) == sorted(e.event_id for e in good))
    # The first delivery plus one per allowed redelivery.
    assert attempts == topology.delivery_limit + 1
    assert consumer.nacked == attempts
    assert consumer.acked == len(good)

    channel = await connection.channel()
    queue = await channel.get_queue(dlq)
    dead = await queue.get(no_ack=True, fail=True, timeout=5)
    assert dead is not None
    assert dead.message_id == str(poison.event_id)


async def test_messaging_invalid_body_is_rejected_to_dlq_without_handler(
    consumers, connection, topology: Topology, caplog
) -> None:
    calls = 0

    async def handler(_: Event) -> None:
        nonlocal calls
        calls += 1

    consumer = consumers(handler)
    await consumer.start()
    secret = "Jane Doe, jane@example.com, 555-0100"
    channel = await connection.channel()
    exchange = await channel.get_exchange(topology.exchange)
    await exchange.publish(
        Message(
            f'{{"type": "report.generated", "resume": "{secret}"}}'.encode(), message_id="bad-1"
        ),
        routing_key="report.generated",
    )

    dlq = topology.dead_letter_queue_name(GATEWAY_RESULTS)

    async def dead_lettered() -> bool:
        return await queue_depth(connection, dlq) == 1

    await wait_until(dead_lettered, message="the invalid message in the DLQ")
    assert (consumer.rejected, consumer.nacked, calls) == (1, 0, 0)
    assert "bad-1" in caplog.text
    assert "jane" not in caplog.text.lower()


async def test_messaging_pause_stops_deliveries_and_resume_restarts_them(
    consumers, publisher: Publisher, connection, topology: Topology, make_event
) -> None:
    handled: list[uuid.UUID] = []

    async def handler(event: Event) -> None:
        handled.append(event.event_id)

    consumer = consumers(handler)
    await consumer.start()
    first = make_event("before pause")
    await publisher.publish(first)
    await wait_until(lambda: handled == [first.event_id])

    await consumer.pause()
    assert consumer.paused
    waiting = [make_event(f"while paused {i}") for i in range(2)]
    for event in waiting:
        await publisher.publish(event)
    queue = topology.queue_name(GATEWAY_RESULTS)

    # Once both are counted in the queue (confirmed), a live consumer would have had them.
    async def both_waiting() -> bool:
        return await queue_depth(connection, queue) == 2

    await wait_until(both_waiting, message="messages wait in the queue while paused")
    assert handled == [first.event_id]

    await consumer.resume()
    assert not consumer.paused
    await wait_until(lambda: len(handled) == 3, message="deliveries after resume")
    assert handled[1:] == [e.event_id for e in waiting]


async def test_messaging_pause_lets_in_flight_message_finish(
    consumers, publisher: Publisher, make_event
) -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def handler(_: Event) -> None:
        started.set()
        await release.wait()

    consumer = consumers(handler)
    await consumer.start()
    await publisher.publish(make_event())
    await asyncio.wait_for(started.wait(), 10)
    await consumer.pause()
    assert consumer.in_flight == 1
    release.set()
    assert await consumer.wait_idle(10)
    assert consumer.acked == 1
