"""The gateway's side of a worker test: requests published, results read as the gateway would
receive them.

``GatewaySide`` (``open_gateway_side``; the ``gateway_side`` fixture of the pytest plugin)
publishes request events on the test's topology with a confirming publisher and reads the results
from its ``gateway.results`` queue, or does both for one request (``round_trip``);
``receive_results`` reads them on any connection.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import Event, EventBase, parse_event, routing
from careerflow_messaging import Publisher, Topology, connect


async def receive_results(
    connection: AbstractRobustConnection, topology: Topology, count: int, timeout_s: float
) -> list[Event]:
    """The next ``count`` events on the topology's ``gateway.results`` queue, acked.

    Each must be a valid event whose AMQP ``message_id`` is its ``event_id``; fewer than
    ``count`` within ``timeout_s`` is a ``TimeoutError``.
    """
    channel = await connection.channel()
    received: list[Event] = []
    try:
        queue = await channel.declare_queue(
            topology.queue_name(routing.GATEWAY_RESULTS), passive=True
        )
        async with asyncio.timeout(timeout_s), queue.iterator() as messages:
            async for message in messages:
                async with message.process():
                    event = parse_event(message.body)
                assert message.message_id == str(event.event_id)
                received.append(event)
                if len(received) == count:
                    break
    finally:
        await channel.close()
    return received


class GatewaySide:
    """Publishes request events to a worker and reads its results, on ``topology``."""

    def __init__(self, connection: AbstractRobustConnection, topology: Topology) -> None:
        self.connection = connection
        self.topology = topology
        self.publisher = Publisher(connection, topology)

    async def publish(self, event: EventBase) -> None:
        """Publish ``event`` and wait for the broker's confirm."""
        await self.publisher.publish(event)

    async def results(self, count: int, timeout_s: float) -> list[Event]:
        """The next ``count`` results (see ``receive_results``)."""
        return await receive_results(self.connection, self.topology, count, timeout_s)

    async def round_trip(self, request: EventBase, timeout_s: float) -> tuple[Event, float]:
        """Publish ``request`` and read the one result that follows: the result, and the seconds
        from the publish to it."""
        started = time.monotonic()
        await self.publish(request)
        (result,) = await self.results(1, timeout_s)
        return result, time.monotonic() - started


@asynccontextmanager
async def open_gateway_side(
    amqp_url: str, topology: Topology, *, name: str = "worker-test"
) -> AsyncIterator[GatewaySide]:
    """A ``GatewaySide`` on its own connection, closed after."""
    connection = await connect(amqp_url, name=name)
    side = GatewaySide(connection, topology)
    try:
        await side.publisher.start()
        yield side
    finally:
        await side.publisher.close()
        await connection.close()
