"""The broker topology every service agrees on, declared idempotently at start-up.

One durable topic exchange carries every event. Each consumer binding gets a durable quorum
queue with a delivery limit; a message that exceeds it, or that a consumer rejects, is
dead-lettered through one direct exchange to that queue's own DLQ. A DLQ keeps what it holds for
a bounded time and size (``routing.DEAD_LETTER_RETENTION``), oldest dropped first: a poison
``resume.submitted`` holds a whole resume. Declaring the same topology again is a no-op on the
broker, so every service may declare what it needs.

Upgrading in place. The broker refuses to redeclare a queue with other arguments, so the bounds
could not be added to the unbounded DLQs of release 1: the bounded ones are a new generation
under a new name (``<queue>.dlq.v2``). ``retire_superseded_dead_letter_queues`` moves what an
earlier generation's DLQ holds into the current one and deletes it. It does so over AMQP, so it
works wherever the services run (no management plugin, ``rabbitmqctl`` or operator needed), and
one service at a time per DLQ, under an exclusive queue used as a lock. Each message is copied
with its properties and ``x-death`` headers, confirmed, and only then acknowledged in the old
DLQ: a crash in between leaves a duplicate dead letter, never a lost one. A moved message's
retention counts from the move.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from aio_pika import DeliveryMode, ExchangeType, Message
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
)
from aio_pika.exceptions import ChannelClosed
from pamqp.common import FieldTable

from careerflow_contracts import routing
from careerflow_contracts.routing import DeadLetterRetention, QueueBinding

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topology:
    """Names and limits of one deployment's topology; tests use a unique prefix per test."""

    exchange: str = routing.EXCHANGE
    dead_letter_exchange: str = routing.DEAD_LETTER_EXCHANGE
    queue_prefix: str = ""
    delivery_limit: int | None = None
    """Overrides every binding's own limit when set (tests use a small one)."""
    dead_letter_retention: DeadLetterRetention = routing.DEAD_LETTER_RETENTION
    """Tests use a short one; a deployment keeps the default, which its DLQs' names stand for."""

    def queue_name(self, binding: QueueBinding) -> str:
        return f"{self.queue_prefix}{binding.queue}"

    def dead_letter_queue_name(self, binding: QueueBinding) -> str:
        return f"{self.queue_prefix}{binding.dead_letter_queue}"

    def superseded_dead_letter_queue_names(self, binding: QueueBinding) -> tuple[str, ...]:
        return tuple(f"{self.queue_prefix}{name}" for name in binding.superseded_dead_letter_queues)

    def queue_arguments(self, binding: QueueBinding) -> FieldTable:
        """The arguments of a work queue; the broker refuses a redeclaration that differs."""
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit or binding.delivery_limit,
            "x-dead-letter-exchange": self.dead_letter_exchange,
            # One routing key per queue, whatever key the message came with, so a queue bound
            # to several event types still dead-letters into its own single DLQ.
            "x-dead-letter-routing-key": self.queue_name(binding),
            # At-least-once dead-lettering keeps a poison message until its DLQ confirms it
            # (the default drops it if that fails); quorum queues require reject-publish for it.
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }

    def dead_letter_queue_arguments(self) -> FieldTable:
        """The arguments of every DLQ: a quorum queue that drops its oldest past either bound."""
        retention = self.dead_letter_retention
        return {
            "x-queue-type": "quorum",
            "x-message-ttl": int(retention.ttl.total_seconds() * 1000),
            "x-max-length": retention.max_messages,
            "x-max-length-bytes": retention.max_bytes,
            # Full: drop the oldest dead letter, not refuse the new one (which would hold the
            # poison message in its work queue, since dead-lettering is at-least-once).
            "x-overflow": "drop-head",
        }


async def _declare_exchanges(
    channel: AbstractChannel, topology: Topology
) -> tuple[AbstractExchange, AbstractExchange]:
    events = await channel.declare_exchange(topology.exchange, ExchangeType.TOPIC, durable=True)
    dead = await channel.declare_exchange(
        topology.dead_letter_exchange, ExchangeType.DIRECT, durable=True
    )
    return events, dead


async def _declare_queues(
    channel: AbstractChannel,
    topology: Topology,
    binding: QueueBinding,
    events: AbstractExchange,
    dead: AbstractExchange,
) -> AbstractQueue:
    dead_letters = await channel.declare_queue(
        topology.dead_letter_queue_name(binding),
        durable=True,
        arguments=topology.dead_letter_queue_arguments(),
    )
    await dead_letters.bind(dead, routing_key=topology.queue_name(binding))
    queue = await channel.declare_queue(
        topology.queue_name(binding),
        durable=True,
        arguments=topology.queue_arguments(binding),
    )
    for routing_key in binding.routing_keys:
        await queue.bind(events, routing_key=routing_key)
    return queue


async def declare_binding(
    channel: AbstractChannel, topology: Topology, binding: QueueBinding
) -> AbstractQueue:
    """Declare both exchanges, one work queue with its bindings and its DLQ; return the queue."""
    events, dead = await _declare_exchanges(channel, topology)
    return await _declare_queues(channel, topology, binding, events, dead)


async def declare_topology(
    channel: AbstractChannel,
    topology: Topology,
    bindings: Iterable[QueueBinding] = routing.ALL_BINDINGS,
) -> None:
    """Declare the exchanges once and, for each binding, its quorum queue and DLQ. Idempotent."""
    events, dead = await _declare_exchanges(channel, topology)
    for binding in bindings:
        await _declare_queues(channel, topology, binding, events, dead)


async def retire_superseded_dead_letter_queues(
    connection: AbstractConnection,
    topology: Topology,
    bindings: Iterable[QueueBinding] = routing.ALL_BINDINGS,
) -> int:
    """Move every earlier generation's DLQ of ``bindings`` into the current DLQ, then delete it.

    Call it after declaring the topology (the current DLQs must exist). Returns how many
    messages this call moved; a DLQ another service is retiring meanwhile is left to it.
    """
    moved = 0
    for binding in bindings:
        for old_name in topology.superseded_dead_letter_queue_names(binding):
            if await _queue_exists(connection, old_name):
                moved += await _retire(connection, topology, binding, old_name)
    return moved


async def _queue_exists(connection: AbstractConnection, name: str) -> bool:
    # A passive declaration of a missing queue closes its channel: use one for that alone.
    channel = await connection.channel()
    try:
        await channel.declare_queue(name, passive=True)
    except ChannelClosed:
        return False
    finally:
        if not channel.is_closed:
            await channel.close()
    return True


async def _retire(
    connection: AbstractConnection, topology: Topology, binding: QueueBinding, old_name: str
) -> int:
    lock_name = f"{old_name}.retiring"
    lock = await connection.channel()
    try:
        try:
            # Exclusive: a second connection declaring it is refused until the first deletes it
            # (or dies, which deletes it too and lets the next start finish the work).
            await lock.declare_queue(lock_name, exclusive=True)
        except ChannelClosed:
            log.info("topology: another service is retiring %s", old_name)
            return 0
        try:
            moved = await _move_all(connection, topology, binding, old_name)
        finally:
            await lock.queue_delete(lock_name)
    finally:
        if not lock.is_closed:
            await lock.close()
    log.info(
        "topology: retired %s, moving %d dead letters into %s",
        old_name,
        moved,
        topology.dead_letter_queue_name(binding),
    )
    return moved


async def _move_all(
    connection: AbstractConnection, topology: Topology, binding: QueueBinding, old_name: str
) -> int:
    target = topology.dead_letter_queue_name(binding)
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    try:
        try:
            old = await channel.declare_queue(old_name, passive=True)
        except ChannelClosed:
            return 0  # retired by another service between our look and our lock
        # Unbound first, so no new dead letter reaches it while it is emptied.
        dead = await channel.get_exchange(topology.dead_letter_exchange, ensure=False)
        await old.unbind(dead, routing_key=topology.queue_name(binding))
        moved = 0
        while (message := await old.get(no_ack=False, fail=False)) is not None:
            await channel.default_exchange.publish(_copy(message), target, mandatory=True)
            await message.ack()
            moved += 1
        # Unbound and empty: nothing can arrive in it any more.
        await channel.queue_delete(old_name)
        return moved
    finally:
        if not channel.is_closed:
            await channel.close()


def _copy(message: AbstractIncomingMessage) -> Message:
    """The same dead letter, to publish again: body, properties and ``x-death`` headers.

    ``expiration`` is left out (the DLQ's own TTL applies) and so is ``user_id``, which the
    broker checks against the publishing connection's user.
    """
    return Message(
        message.body,
        headers=message.headers,
        content_type=message.content_type,
        content_encoding=message.content_encoding,
        delivery_mode=DeliveryMode.PERSISTENT,
        priority=message.priority,
        correlation_id=message.correlation_id,
        reply_to=message.reply_to,
        message_id=message.message_id,
        timestamp=message.timestamp,
        type=message.type,
        app_id=message.app_id,
    )


async def delete_topology(
    channel: AbstractChannel,
    topology: Topology,
    bindings: Iterable[QueueBinding] = routing.ALL_BINDINGS,
) -> None:
    """Delete what ``declare_topology`` declared, messages included (for tests)."""
    for binding in bindings:
        await channel.queue_delete(topology.queue_name(binding))
        await channel.queue_delete(topology.dead_letter_queue_name(binding))
        for old_name in topology.superseded_dead_letter_queue_names(binding):
            await channel.queue_delete(old_name)
    await channel.exchange_delete(topology.exchange)
    await channel.exchange_delete(topology.dead_letter_exchange)
