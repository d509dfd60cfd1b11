"""Reading what the workers publish, as the gateway would receive it, in worker tests."""

from __future__ import annotations

import asyncio

from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import Event, parse_event, routing
from careerflow_messaging import Topology


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
