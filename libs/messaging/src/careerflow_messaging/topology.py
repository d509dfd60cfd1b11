"""The broker topology every service agrees on, declared idempotently at start-up.

One durable topic exchange carries every event. Each consumer binding gets a durable quorum
queue with a delivery limit; a message that exceeds it, or that a consumer rejects, is
dead-lettered through one direct exchange to that queue's own ``<queue>.dlq``. Declaring the
same topology again is a no-op on the broker, so every service may declare what it needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aio_pika import ExchangeType
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from pamqp.common import FieldTable

from careerflow_contracts import routing
from careerflow_contracts.routing import QueueBinding


@dataclass(frozen=True)
class Topology:
    """Names and limits of one deployment's topology; tests use a unique prefix per test."""

    exchange: str = routing.EXCHANGE
    dead_letter_exchange: str = routing.DEAD_LETTER_EXCHANGE
    queue_prefix: str = ""
    delivery_limit: int | None = None
    """Overrides every binding's own limit when set (tests use a small one)."""

    def queue_name(self, binding: QueueBinding) -> str:
        return f"{self.queue_prefix}{binding.queue}"

    def dead_letter_queue_name(self, binding: QueueBinding) -> str:
        return f"{self.queue_prefix}{binding.dead_letter_queue}"

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


_DEAD_LETTER_QUEUE_ARGUMENTS: FieldTable = {"x-queue-type": "quorum"}


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
        arguments=_DEAD_LETTER_QUEUE_ARGUMENTS,
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


async def delete_topology(
    channel: AbstractChannel,
    topology: Topology,
    bindings: Iterable[QueueBinding] = routing.ALL_BINDINGS,
) -> None:
    """Delete what ``declare_topology`` declared, messages included (for tests)."""
    for binding in bindings:
        await channel.queue_delete(topology.queue_name(binding))
        await channel.queue_delete(topology.dead_letter_queue_name(binding))
    await channel.exchange_delete(topology.exchange)
    await channel.exchange_delete(topology.dead_letter_exchange)
