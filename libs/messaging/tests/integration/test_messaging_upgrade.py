"""Upgrading a broker declared by the previous release: its unbounded DLQs become bounded ones
and no message is lost, neither a dead letter nor a request waiting in a work queue."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import timedelta

import pytest
from aio_pika import DeliveryMode, ExchangeType, Message
from aio_pika.abc import AbstractChannel, AbstractRobustConnection
from aio_pika.exceptions import ChannelClosed

from careerflow_contracts import Event, routing
from careerflow_contracts.routing import DeadLetterRetention, QueueBinding
from careerflow_messaging import (
    Consumer,
    Topology,
    declare_topology,
    delete_topology,
    retire_superseded_dead_letter_queues,
)
from careerflow_testing.topologies import tagged_topology, unique_tag
from careerflow_testing.waiting import wait_until

pytestmark = pytest.mark.broker

RETENTION = DeadLetterRetention(ttl=timedelta(seconds=5), max_messages=3, max_bytes=1024 * 1024)


async def declare_release_1(channel: AbstractChannel, topology: Topology) -> None:
    """The topology exactly as release 1 declared it (careerflow_messaging.topology up to commit
    88e0cce): every work queue as today, and each DLQ named ``<queue>.dlq`` with no limit."""
    events = await channel.declare_exchange(topology.exchange, ExchangeType.TOPIC, durable=True)
    dead = await channel.declare_exchange(
        topology.dead_letter_exchange, ExchangeType.DIRECT, durable=True
    )
    for binding in routing.ALL_BINDINGS:
        queue_name = topology.queue_name(binding)
        dead_letters = await channel.declare_queue(
            f"{queue_name}.dlq", durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dead_letters.bind(dead, routing_key=queue_name)
        queue = await channel.declare_queue(
            queue_name,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": topology.delivery_limit or binding.delivery_limit,
                "x-dead-letter-exchange": topology.dead_letter_exchange,
                "x-dead-letter-routing-key": queue_name,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )
        for routing_key in binding.routing_keys:
            await queue.bind(events, routing_key=routing_key)


@pytest.fixture
async def old_topology(
    connection: AbstractRobustConnection,
) -> AsyncIterator[Topology]:
    """A topology of unique names declared by release 1; everything is deleted after the test."""
    topology = tagged_topology(unique_tag(), delivery_limit=3, dead_letter_retention=RETENTION)
    channel = await connection.channel()
    await declare_release_1(channel, topology)
    await channel.close()
    yield topology
    channel = await connection.channel()
    await delete_topology(channel, topology)
    await channel.close()


async def _exists(connection: AbstractRobustConnection, queue_name: str) -> int | None:
    """The queue's ready messages, or None when there is no such queue."""
    channel = await connection.channel()
    try:
        queue = await channel.declare_queue(queue_name, passive=True)
        return queue.declaration_result.message_count or 0
    except ChannelClosed:
        return None
    finally:
        if not channel.is_closed:
            await channel.close()


async def _publish(channel: AbstractChannel, exchange: str, routing_key: str, body: bytes) -> None:
    target = await channel.get_exchange(exchange)
    await target.publish(
        Message(body, message_id=body.decode(), delivery_mode=DeliveryMode.PERSISTENT),
        routing_key=routing_key,
    )


async def _dead_letter(
    channel: AbstractChannel, topology: Topology, binding: QueueBinding, body: bytes
) -> None:
    """Publish to the work queue and reject the message there, as a consumer rejects poison."""
    await _publish(channel, topology.exchange, binding.routing_keys[0], body)
    queue = await channel.get_queue(topology.queue_name(binding))
    message = await queue.get(no_ack=False, fail=True, timeout=5)
    assert message is not None and message.body == body
    await message.reject(requeue=False)


async def _drain(channel: AbstractChannel, queue_name: str) -> list[Message]:
    queue = await channel.get_queue(queue_name)
    taken: list[Message] = []
    while (message := await queue.get(no_ack=True, fail=False, timeout=5)) is not None:
        taken.append(message)
    return taken


BINDINGS: Iterable[QueueBinding] = (routing.RESUME_PARSER, routing.GATEWAY_RESULTS)


async def test_messaging_upgrade_moves_old_dead_letters_into_bounded_dlqs_losing_nothing(
    connection: AbstractRobustConnection, old_topology: Topology
) -> None:
    topology = old_topology
    channel = await connection.channel(publisher_confirms=True)
    for binding in BINDINGS:
        name = binding.queue.encode()
        for n in range(2):
            await _dead_letter(channel, topology, binding, b"dead %d of " % n + name)
        await _publish(channel, topology.exchange, binding.routing_keys[0], b"waiting for " + name)

    for binding in BINDINGS:
        old_dlq = f"{topology.queue_name(binding)}.dlq"

        async def dead_lettered(old_dlq: str = old_dlq) -> bool:
            return await _exists(connection, old_dlq) == 2

        await wait_until(dead_lettered, message=f"two dead letters in {old_dlq}")

    # The new release starts: it declares its topology (this must not be refused) and retires
    # the superseded DLQs.
    await declare_topology(channel, topology)
    moved = await retire_superseded_dead_letter_queues(connection, topology)
    assert moved == 2 * len(BINDINGS)

    for binding in BINDINGS:
        queue_name = topology.queue_name(binding)
        assert await _exists(connection, f"{queue_name}.dlq") is None, "the old DLQ is gone"
        dlq = topology.dead_letter_queue_name(binding)
        assert dlq != f"{queue_name}.dlq"
        kept = await _drain(channel, dlq)
        name = binding.queue.encode()
        assert [m.body for m in kept] == [b"dead %d of " % n + name for n in (0, 1)]
        for message in kept:
            assert message.message_id == message.body.decode()
            assert message.headers is not None
            (death,) = message.headers["x-death"]  # type: ignore[misc]
            assert death["queue"] == queue_name  # type: ignore[index]
            assert death["reason"] == "rejected"  # type: ignore[index]
        waiting = await _drain(channel, queue_name)
        assert [m.body for m in waiting] == [b"waiting for " + name]

    # Retiring again finds nothing to do; declaring again is still accepted.
    assert await retire_superseded_dead_letter_queues(connection, topology) == 0
    await declare_topology(channel, topology)

    # The bounded DLQ keeps at most max_messages, dropping the oldest ...
    binding = routing.GATEWAY_RESULTS
    dlq = topology.dead_letter_queue_name(binding)
    # A rejection is dead-lettered after the reject returns, so the DLQ's length reaches its
    # limit before the last letters arrive. An unbounded queue bound beside it receives each
    # letter from the same routing: once it holds them all, they have all been dead-lettered.
    observer = await channel.declare_queue(exclusive=True)
    await observer.bind(topology.dead_letter_exchange, routing_key=topology.queue_name(binding))
    late = RETENTION.max_messages + 2
    for n in range(late):
        await _dead_letter(channel, topology, binding, b"late %d" % n)

    async def full() -> bool:
        return (await _exists(connection, observer.name), await _exists(connection, dlq)) == (
            late,
            RETENTION.max_messages,
        )

    await wait_until(full, message="every late letter dead-lettered, the DLQ at its limit")
    await observer.delete(if_unused=False, if_empty=False)
    kept = await _drain(channel, dlq)
    assert [m.body for m in kept] == [b"late %d" % n for n in range(2, RETENTION.max_messages + 2)]

    # ... and for at most the retention's time.
    await _dead_letter(channel, topology, binding, b"expires")

    async def expired() -> bool:
        return await _exists(connection, dlq) == 0

    await wait_until(
        expired, timeout_s=RETENTION.ttl.total_seconds() + 15, message="the dead letter expired"
    )
    await channel.close()


async def test_messaging_a_consumer_retires_the_old_dlq_of_its_own_queue(
    connection: AbstractRobustConnection, old_topology: Topology
) -> None:
    topology = old_topology
    binding = routing.GATEWAY_RESULTS
    channel = await connection.channel(publisher_confirms=True)
    await _dead_letter(channel, topology, binding, b"poison")
    old_dlq = f"{topology.queue_name(binding)}.dlq"

    async def dead_lettered() -> bool:
        return await _exists(connection, old_dlq) == 1

    await wait_until(dead_lettered, message="the dead letter in the old DLQ")

    async def handler(_: Event) -> None:
        return None

    consumer = Consumer(connection, topology, binding, handler)
    await consumer.start()
    try:
        assert await _exists(connection, old_dlq) is None
        kept = await _drain(channel, topology.dead_letter_queue_name(binding))
        assert [m.body for m in kept] == [b"poison"]
    finally:
        await consumer.stop()
        await channel.close()
