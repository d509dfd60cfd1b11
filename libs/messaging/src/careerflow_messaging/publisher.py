"""Publishing events with publisher confirms, mandatory routing and persistent delivery.

Exceptions::

    PublishError            the broker did not confirm the message after every attempt
    └── UnroutableError     no queue is bound for the routing key (never retried)

A publish whose confirm did not arrive (timeout, channel or connection lost) has an unknown
outcome: the broker may have the message. It is sent again, under the same ``message_id``, and
consumers deduplicate on it.
"""

from __future__ import annotations

import asyncio
import logging

from aio_pika import DeliveryMode, ExchangeType, Message
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError
from aio_pika.exceptions import PublishError as ReturnedError

from careerflow_contracts import EventBase
from careerflow_messaging.topology import Topology

log = logging.getLogger(__name__)

_UNKNOWN_OUTCOME = (TimeoutError, ChannelInvalidStateError, AMQPError, ConnectionError)
"""What leaves a publish's outcome unknown; a broker nack (``DeliveryError``) is one too."""


class PublishError(Exception):
    """The broker did not confirm a message."""


class UnroutableError(PublishError):
    """The broker returned a mandatory message: no queue is bound for its routing key."""


class Publisher:
    """Publishes events on its own confirming channel of a robust connection.

    Counters for metrics: ``published`` (confirmed), ``returned`` (unroutable) and ``retries``.
    """

    def __init__(
        self,
        connection: AbstractRobustConnection,
        topology: Topology,
        *,
        confirm_timeout_s: float = 5.0,
        attempts: int = 3,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._connection = connection
        self._topology = topology
        self._confirm_timeout_s = confirm_timeout_s
        self._attempts = attempts
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractExchange | None = None
        self.published = 0
        self.returned = 0
        self.retries = 0

    async def start(self) -> None:
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        # Declaring the exchange (idempotent) lets a publisher start before any consumer.
        self._exchange = await channel.declare_exchange(
            self._topology.exchange, ExchangeType.TOPIC, durable=True
        )
        self._channel = channel

    async def close(self) -> None:
        channel, self._channel, self._exchange = self._channel, None, None
        if channel is not None and not channel.is_closed:
            try:
                await channel.close()
            except _UNKNOWN_OUTCOME as exc:  # closing a channel the broker already dropped
                log.info("publisher channel close failed (%s)", exc.__class__.__name__)

    async def publish(self, event: EventBase) -> None:
        """Publish one event and wait for the broker's confirm."""
        await self.publish_raw(
            event.type,
            event.model_dump_json().encode(),
            message_id=str(event.event_id),
            type=event.type,
        )

    async def publish_raw(
        self,
        routing_key: str,
        body: bytes,
        *,
        message_id: str,
        type: str,  # the AMQP property's name
    ) -> None:
        """Publish a JSON body as is (the gateway's outbox relay stores events serialised)."""
        if self._exchange is None or self._channel is None:
            raise RuntimeError("Publisher.start() was not called")
        message = Message(
            body,
            message_id=message_id,
            type=type,
            content_type="application/json",
            delivery_mode=DeliveryMode.PERSISTENT,
        )
        failure: BaseException | None = None
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                self.retries += 1
                await self._wait_for_channel()
            try:
                # The outer bound also covers waiting for a reconnecting channel, which the
                # publish call itself does without a timeout.
                async with asyncio.timeout(self._confirm_timeout_s):
                    await self._exchange.publish(message, routing_key, mandatory=True)
            except ReturnedError as exc:
                self.returned += 1
                raise UnroutableError(
                    f"no queue is bound for {routing_key!r} on {self._topology.exchange!r}"
                ) from exc
            except _UNKNOWN_OUTCOME as exc:
                failure = exc
                log.warning(
                    "publish of %s (%s) not confirmed, attempt %d of %d: %s",
                    message_id,
                    routing_key,
                    attempt,
                    self._attempts,
                    exc.__class__.__name__,
                )
                continue
            self.published += 1
            return
        raise PublishError(
            f"{routing_key} {message_id} not confirmed after {self._attempts} attempts"
        ) from failure

    async def _wait_for_channel(self) -> None:
        """Wait (bounded) for the robust channel to be back after a connection loss."""
        assert self._channel is not None
        try:
            await asyncio.wait_for(self._channel.ready(), self._confirm_timeout_s)
        except TimeoutError:
            # The next attempt fails fast on the closed channel and counts against the budget.
            return
