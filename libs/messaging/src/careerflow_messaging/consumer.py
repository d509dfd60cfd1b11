"""The consumer runner: decode each message into its event, call the handler, then settle it.

- the handler returns: ack, so a message is acked only after its effect;
- the handler raises: nack with requeue; the quorum queue counts the delivery and dead-letters
  the message once it exceeds the delivery limit, while other messages keep flowing;
- the body is not a valid event, or is an event in a version this release does not read:
  reject without requeue, straight to the DLQ (a later release can replay it from there);
- the ack, nack or reject cannot be sent because the channel it came on has closed (a broker
  restart, a network cut): it is dropped with a log line, since the broker redelivers every
  unacknowledged message of a closed channel.

Each message is handled in a task the consumer owns, not in the channel's, so a handler that has
begun its effect finishes it even if the channel closes meanwhile (it is then redelivered, and
idempotent handlers drop the duplicate). Bodies are never logged: they may hold resume text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError
from pydantic import ValidationError

from careerflow_contracts import Event, UnknownEventVersion, parse_event
from careerflow_contracts.routing import QueueBinding
from careerflow_messaging.topology import (
    Topology,
    declare_binding,
    retire_superseded_dead_letter_queues,
)

log = logging.getLogger(__name__)

Handler = Callable[[Event], Awaitable[None]]

_CHANNEL_GONE = (ChannelInvalidStateError, AMQPError, ConnectionError)
"""What settling a delivery raises when the channel it came on is closed."""

_CANCEL_TIMEOUT_S = 5.0

Settlement = Literal["ack", "nack", "reject"]


class Consumer:
    """Consumes one queue of the topology with its own channel and prefetch.

    Counters for metrics: ``consumed``, ``acked``, ``nacked``, ``rejected``, ``stale_acks``.
    """

    def __init__(
        self,
        connection: AbstractRobustConnection,
        topology: Topology,
        binding: QueueBinding,
        handler: Handler,
        *,
        prefetch: int = 1,
        name: str | None = None,
    ) -> None:
        if prefetch < 1:
            raise ValueError("prefetch must be at least 1")
        self._connection = connection
        self._topology = topology
        self._binding = binding
        self._handler = handler
        self._prefetch = prefetch
        self.name = name or topology.queue_name(binding)
        self._channel: AbstractRobustChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.paused = False
        self.consumed = 0
        self.acked = 0
        self.nacked = 0
        self.rejected = 0
        self.stale_acks = 0

    @property
    def in_flight(self) -> int:
        """Messages received and not yet settled (or dropped)."""
        return len(self._tasks)

    async def start(self) -> None:
        """Open the channel, set the prefetch, declare the queue idempotently and consume.

        Declaring on this robust channel means a reconnection redeclares the queue before it
        restores the consumer, even on a broker that lost its definitions. An earlier release's
        DLQ of this queue is retired into the current one first (see ``topology``).
        """
        if self._channel is not None:
            raise RuntimeError(f"consumer {self.name} already started")
        channel = await self._connection.channel(publisher_confirms=False)
        await channel.set_qos(prefetch_count=self._prefetch)
        self._queue = await declare_binding(channel, self._topology, self._binding)
        await retire_superseded_dead_letter_queues(
            self._connection, self._topology, [self._binding]
        )
        self._channel = channel
        self._consumer_tag = await self._queue.consume(self._on_message)
        self.paused = False
        log.info("consumer %s started (prefetch %d)", self.name, self._prefetch)

    async def pause(self) -> None:
        """Stop taking new deliveries (basic.cancel); messages in flight still finish.

        Use it while a dependency the handler needs is down, rather than nacking every message
        into its delivery limit.
        """
        if self.paused or self._queue is None:
            return
        self.paused = True
        tag, self._consumer_tag = self._consumer_tag, None
        if tag is None:
            return
        try:
            # A robust queue forgets the consumer before sending the cancel, so even if this
            # times out during a reconnection, the consumer is not restored while paused.
            await asyncio.wait_for(self._queue.cancel(tag), _CANCEL_TIMEOUT_S)
        except (TimeoutError, *_CHANNEL_GONE) as exc:
            log.warning("consumer %s: cancel not confirmed (%s)", self.name, type(exc).__name__)
        log.info("consumer %s paused", self.name)

    async def resume(self) -> None:
        """Take deliveries again after ``pause``."""
        if not self.paused or self._queue is None:
            return
        self._consumer_tag = await self._queue.consume(self._on_message)
        self.paused = False
        log.info("consumer %s resumed", self.name)

    async def wait_idle(self, timeout_s: float) -> bool:
        """Wait until no message is in flight; False if some still are after ``timeout_s``."""
        if not self._tasks:
            return True
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout_s)
        return not pending

    async def stop(self) -> None:
        """Stop consuming, cancel what is still in flight (the broker redelivers it), close."""
        await self.pause()
        for task in tuple(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        channel, self._channel, self._queue = self._channel, None, None
        if channel is not None and not channel.is_closed:
            try:
                await channel.close()
            except _CHANNEL_GONE as exc:  # closing a channel the broker already dropped
                log.info("consumer %s: channel close failed (%s)", self.name, type(exc).__name__)
        log.info("consumer %s stopped", self.name)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self.consumed += 1
        task = asyncio.create_task(
            self._process(message), name=f"{self.name}:{message.delivery_tag}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            event = parse_event(message.body)
        except ValidationError as exc:
            # The validation error quotes the input: log its size only, never its text.
            log.warning(
                "consumer %s: message %s is not a valid event (%d errors); rejected to the DLQ",
                self.name,
                message.message_id,
                exc.error_count(),
            )
            await self._settle(message, "reject")
            return
        except UnknownEventVersion as exc:
            log.warning(
                "consumer %s: message %s: %s; rejected to the DLQ",
                self.name,
                message.message_id,
                exc,
            )
            await self._settle(message, "reject")
            return
        try:
            await self._handler(event)
        except Exception as exc:
            log.warning(
                "consumer %s: handler failed for %s %s (%s); requeued",
                self.name,
                event.type,
                message.message_id,
                type(exc).__name__,
                # A traceback of a ValidationError would quote the input, which may be personal.
                exc_info=not isinstance(exc, ValidationError),
            )
            await self._settle(message, "nack")
            return
        await self._settle(message, "ack")

    async def _settle(self, message: AbstractIncomingMessage, how: Settlement) -> None:
        try:
            if how == "ack":
                await message.ack()
                self.acked += 1
            elif how == "nack":
                await message.nack(requeue=True)
                self.nacked += 1
            else:
                await message.reject(requeue=False)
                self.rejected += 1
        except _CHANNEL_GONE as exc:
            self.stale_acks += 1
            log.warning(
                "consumer %s: %s of %s dropped, its channel is gone (%s); the broker redelivers it",
                self.name,
                how,
                message.message_id,
                type(exc).__name__,
            )
