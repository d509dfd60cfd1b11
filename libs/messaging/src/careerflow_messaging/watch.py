"""Watching routing keys: a hint that some event was published, not work to do.

A ``Watch`` consumes a queue made for its process alone (exclusive, auto-deleted, not durable,
a classic queue that keeps at most its newest message), bound to some routing keys of the events
exchange, with no acks. It tells the process that an event of one of those types was published
and when the event was made (the envelope's ``occurred_at``), and nothing else: bodies are not
read further, never logged, never kept. A message lost (the process was reconnecting, a newer
one pushed it out) costs nothing a work queue would have to redeliver: the work queues carry
the work. resume-parser watches the requests a candidate waits for, to give way to them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from aio_pika import ExchangeType
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection
from pydantic import AwareDatetime, BaseModel, ValidationError

from careerflow_contracts import utc_now
from careerflow_messaging.topology import Topology

log = logging.getLogger(__name__)

OnEvent = Callable[[str, datetime], None]
"""Called with an event's routing key and the time the event was made."""


class _Stamp(BaseModel):
    occurred_at: AwareDatetime


def occurred_at(body: bytes) -> datetime:
    """When the event in ``body`` was made; now, for a body that does not say (never raised)."""
    try:
        return _Stamp.model_validate_json(body).occurred_at
    except ValidationError:
        return utc_now()


class Watch:
    """Calls ``on_event`` for each event published with one of ``routing_keys``."""

    def __init__(
        self,
        connection: AbstractRobustConnection,
        topology: Topology,
        routing_keys: Iterable[str],
        on_event: OnEvent,
        *,
        name: str = "watch",
    ) -> None:
        self._connection = connection
        self._topology = topology
        self._routing_keys = tuple(routing_keys)
        self._on_event = on_event
        self.name = name
        self._channel: AbstractChannel | None = None
        self.seen = 0

    async def start(self) -> None:
        """Declare the queue and its bindings on a robust channel (a reconnection declares them
        again, under the same name) and consume it."""
        channel = await self._connection.channel(publisher_confirms=False)
        events = await channel.declare_exchange(
            self._topology.exchange, ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(
            exclusive=True,
            auto_delete=True,
            durable=False,
            arguments={"x-queue-type": "classic", "x-max-length": 1, "x-overflow": "drop-head"},
        )
        for routing_key in self._routing_keys:
            await queue.bind(events, routing_key=routing_key)
        await queue.consume(self._on_message, no_ack=True)
        self._channel = channel
        log.info("%s watching %s", self.name, list(self._routing_keys))

    async def stop(self) -> None:
        channel, self._channel = self._channel, None
        if channel is not None and not channel.is_closed:
            await channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self.seen += 1
        self._on_event(message.routing_key or "", occurred_at(message.body))
