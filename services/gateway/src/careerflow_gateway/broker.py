"""The gateway's link to RabbitMQ: connects (retrying while the broker is away), declares the
topology, feeds the outbox relay a confirming publisher and runs the results consumer.

The publisher and the consumer exist only while connected, so they are not given to the relay
and the intake when those are built (``bootstrap``): the link hands each over when it connects
(``OutboxRelay.attach``, ``ResultIntake.attach``) and takes it back when it closes.

The gateway starts and takes sessions without a broker: the link keeps trying in the background,
events wait in the outbox, and once connected the relay drains them. After the first connection
aio-pika's robust connection reconnects by itself and restores the publisher and the consumer.
"""

from __future__ import annotations

import asyncio
import logging

from aio_pika.abc import AbstractRobustConnection

from careerflow_contracts import routing
from careerflow_gateway.outbox import OutboxRelay
from careerflow_gateway.result_intake import ResultIntake
from careerflow_gateway.stopping import finish_within, stop_if_cancelled
from careerflow_messaging import (
    Consumer,
    Publisher,
    Topology,
    connect,
    declare_topology,
    is_connected,
    retire_superseded_dead_letter_queues,
)

log = logging.getLogger(__name__)

_CLOSE_STEP_S = 5.0
"""The longest one step of closing the broker link may take before it is left behind."""


class BrokerLink:
    """Owns the connection, the publisher and the results consumer for the app's lifetime."""

    def __init__(
        self,
        amqp_url: str,
        topology: Topology,
        relay: OutboxRelay,
        intake: ResultIntake,
        *,
        prefetch: int,
        retry_max_s: float = 10.0,
    ) -> None:
        self._amqp_url = amqp_url
        self._topology = topology
        self._relay = relay
        self._intake = intake
        self._prefetch = prefetch
        self._retry_max_s = retry_max_s
        self.connection: AbstractRobustConnection | None = None
        self.publisher: Publisher | None = None
        self.consumer: Consumer | None = None
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        return is_connected(self.connection)

    async def _open(self) -> None:
        connection = await connect(self._amqp_url, name="gateway")
        self.connection = connection
        channel = await connection.channel()
        # Declaring every queue means a request event is kept even before its worker first runs.
        await declare_topology(channel, self._topology)
        await channel.close()
        # An earlier release's unbounded DLQs, of the workers' queues too, become bounded ones.
        await retire_superseded_dead_letter_queues(connection, self._topology)
        publisher = Publisher(connection, self._topology)
        await publisher.start()
        self.publisher = publisher
        consumer = Consumer(
            connection,
            self._topology,
            routing.GATEWAY_RESULTS,
            self._intake,
            prefetch=self._prefetch,
            name="gateway.results",
        )
        self._intake.attach(consumer)
        await consumer.start()
        self.consumer = consumer

        async def publish(routing_key: str, body: bytes, event_id: str) -> None:
            await publisher.publish_raw(routing_key, body, message_id=event_id, type=routing_key)

        self._relay.attach(publish)

    async def _run(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._open()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                stop_if_cancelled(exc)
                # /health shows the type only (it needs no token); the log has the detail.
                self.last_error = type(exc).__name__
                log.warning(
                    "broker: cannot connect (%s: %s); retrying in %.1f s",
                    self.last_error,
                    str(exc)[:200],
                    delay,
                )
                await self._close()
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._retry_max_s)
                continue
            self.last_error = None
            log.info("broker: connected")
            return

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="broker-link")

    async def _close(self) -> None:
        self._relay.attach(None)
        self._intake.attach(None)
        consumer, self.consumer = self.consumer, None
        publisher, self.publisher = self.publisher, None
        connection, self.connection = self.connection, None
        if consumer is not None:
            await finish_within("broker: consumer stop", consumer.stop(), _CLOSE_STEP_S)
        if publisher is not None:
            await finish_within("broker: publisher close", publisher.close(), _CLOSE_STEP_S)
        if connection is not None:
            await finish_within("broker: connection close", connection.close(), _CLOSE_STEP_S)

    async def stop(self, grace_s: float = 0.0) -> None:
        """Stop taking results, let those being applied finish within ``grace_s``, disconnect.

        What is still running after the grace is cancelled: its transaction rolls back and the
        broker redelivers it, so nothing is lost, only redone.
        """
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await finish_within("broker: connecting", task, _CLOSE_STEP_S)
        consumer = self.consumer
        if consumer is not None and grace_s > 0:
            await consumer.pause()
            await consumer.wait_idle(grace_s)
        await self._close()
