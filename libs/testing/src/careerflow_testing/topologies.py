"""A test's own broker topology: names no other test or run uses, declared and deleted by it.

``tagged_topology(tag)`` names every exchange and queue after a tag (``<tag>.careerflow.events``,
``<tag>.careerflow.dead``, queues ``<tag>.<queue>``); ``unique_tag()`` makes a tag;
``declared_topology`` declares a topology on the broker for the length of a block and deletes
it, messages included, after.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from careerflow_contracts import routing
from careerflow_contracts.routing import DeadLetterRetention, QueueBinding
from careerflow_messaging import Topology, connect, declare_topology, delete_topology

BROKER_BACK_WITHIN_S = 60.0
"""How long the deletion waits for a connection a test's broker restart has cut to be back."""


def unique_tag(prefix: str = "t") -> str:
    """``<prefix>-`` and ten random hex digits."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def tagged_topology(
    tag: str,
    *,
    delivery_limit: int | None = None,
    dead_letter_retention: DeadLetterRetention = routing.DEAD_LETTER_RETENTION,
) -> Topology:
    """The deployment's topology with every name behind ``tag``."""
    return Topology(
        exchange=f"{tag}.{routing.EXCHANGE}",
        dead_letter_exchange=f"{tag}.{routing.DEAD_LETTER_EXCHANGE}",
        queue_prefix=f"{tag}.",
        delivery_limit=delivery_limit,
        dead_letter_retention=dead_letter_retention,
    )


@asynccontextmanager
async def declared_topology(
    amqp_url: str,
    topology: Topology,
    bindings: Iterable[QueueBinding] = routing.ALL_BINDINGS,
    *,
    reconnect_interval_s: float = 2.0,
) -> AsyncIterator[Topology]:
    """``topology``'s exchanges and the queues of ``bindings``, declared on the broker at
    ``amqp_url`` for the block and deleted after it, on a connection of their own.

    The block may restart the broker: the deletion first waits (at most
    ``BROKER_BACK_WITHIN_S``) for the connection to be back, which it retries every
    ``reconnect_interval_s``.
    """
    bindings = tuple(bindings)
    name = f"test-topology-{topology.queue_prefix.rstrip('.')}"
    connection = await connect(amqp_url, name=name, reconnect_interval_s=reconnect_interval_s)
    try:
        async with connection.channel() as channel:
            await declare_topology(channel, topology, bindings)
        yield topology
        await asyncio.wait_for(connection.ready(), BROKER_BACK_WITHIN_S)
        async with connection.channel() as channel:
            await delete_topology(channel, topology, bindings)
    finally:
        await connection.close()
